"""Files into grids: what a spreadsheet or CSV looks like before anyone reads a table in it.

Owns: opening xlsx, xlsm, xls, ods (python-calamine), CSV and TXT (encoding and separator sniffed), and
HTML tables saved as ``.xls`` (``readers``, ``html_tables``); the streamed scans that refuse a bomb
before it is opened (``xlsx_scan``, ``format_scan``); the limits a file is read under, the settings'
``[batas]`` (``read_limits``); reading errors and their Indonesian messages, cell addresses
(``read_errors``). The one writer: ``xlsx_rows``, a workbook's rows written as sheet XML text (the outputs'
workbooks and the DSSD exports).

Reads: the file's bytes and the limits.
Hands on: ``Grid`` objects (cells as stored, merged ranges, sheet state) to ``reference`` (catalogue and
register files) and ``reading`` (submissions).
"""
