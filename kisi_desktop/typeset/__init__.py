"""ReportLab plumbing shared by handouts and reports: fonts, HarfBuzz shaping, bidi, QR codes."""
