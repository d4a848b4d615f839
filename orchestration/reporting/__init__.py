"""What users take away: exports and reports."""
