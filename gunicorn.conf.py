"""gunicorn settings for Workbench: `gunicorn -c gunicorn.conf.py "workbench:create_app()"`.

The settings live in the package (``workbench/serving.py``), so that an installed Workbench has
them too: ``gunicorn -c python:workbench.serving "workbench:create_app()"``.
"""

from workbench.serving import *  # noqa: F401,F403  (every setting and hook gunicorn reads)
