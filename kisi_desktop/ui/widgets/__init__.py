"""Small widgets shared by several pages (the painted bar chart of Budget and Needs)."""
