"""Small helpers every stage shares; nothing here knows about rounds, OPDs or catalogues.

Owns: names folded for comparison (``names``), Indonesian dates and numbers through babel (``fmt``), text
made safe for CSV, HTML and workbooks (``safe_text``), names made safe as paths (``safe_names``), the
data and report folders of a region (``paths``), borrowed words shown in Indonesian and the label of
every issue code (``plain_words``).

Reads: nothing of the project (only the standard library and babel).
Hands on: plain functions and the ``Paths`` layout to every other sub-package.
"""
