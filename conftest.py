"""Root conftest: give every test run its own data directory before Django settings load."""

import os
import tempfile

os.environ.setdefault("TTDN_DATA_DIR", tempfile.mkdtemp(prefix="ttdn-pytest-"))
