"""The toolchain of the comparative edition: transcriptions → TEI → site and PDF."""
