"""Publishing: check, render, build the site with MkDocs, the PDFs and the offline copy."""
