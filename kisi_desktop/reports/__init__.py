"""AMIF indicators, budget and activity reports, with CSV, XLSX and PDF export."""
