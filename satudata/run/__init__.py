"""Running a round: the command line, the notebook API and the stage runners.

Owns: ``satudata`` on the command line (``cli``), ``satudata.putaran()`` and ``satudata.muat()`` for
notebooks (``api``), the stage runners (``pipeline``, ``rakor_stage``), running a notebook with
papermill and converting it to HTML (``notebook``), one run at a time per data folder (``run_lock``),
outputs written into a hidden folder and moved into place together (``staged_outputs``,
``staged_reports``), ``make clean`` (``clean``) and the Demak demo data (``demo``).

Reads: every stage below it.
Hands on: the rounds' files on disk and exit codes to ``make``, papermill and the user.
"""
