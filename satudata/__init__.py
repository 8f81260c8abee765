"""satudata: Satu Data evaluation toolkit for Indonesian regional governments.

Turns the spreadsheets that data producers (OPD) hand in into one clean dataset,
measures each producer's progress against the SIPD elements it owes, and renders
dated evaluation reports, slides and feedback for every evaluation round.
"""

__version__ = "0.1.0"
