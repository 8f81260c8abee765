"""Allow ``python -m satudata``."""

from satudata.run.cli import main

raise SystemExit(main())
