"""Run by Superset's own Python (.venv-bi), never imported by Casebook: create or update the admin user
and import the dashboards bundle.

Usage: python superset_side.py BUNDLE.zip DATABASE_FILE
The admin password and the Thrift server's password come from the environment
(CASEBOOK_BI_ADMIN_PASSWORD, CASEBOOK_BI_THRIFT_PASSWORD), never from the command line.
"""

from __future__ import annotations

import os
import sys
import zipfile

ADMIN = "admin"


def _admin(security_manager):
    password = os.environ["CASEBOOK_BI_ADMIN_PASSWORD"]
    user = security_manager.find_user(username=ADMIN)
    if user is None:
        role = security_manager.find_role("Admin")
        user = security_manager.add_user(ADMIN, "Casebook", "Admin", "admin@casebook.invalid", role, password)
        if not user:
            raise SystemExit("Superset could not create its admin user; see the log above.")
    else:
        security_manager.reset_password(user.id, password)
    return user


def main(bundle: str, database_file: str) -> None:
    from flask import g
    from superset.app import create_app

    app = create_app()
    with app.app_context(), app.test_request_context():
        from superset import security_manager
        from superset.commands.dashboard.importers.dispatcher import ImportDashboardsCommand

        g.user = _admin(security_manager)
        with zipfile.ZipFile(bundle) as archive:
            contents = {
                name.split("/", 1)[1]: archive.read(name).decode()
                for name in archive.namelist()
                if name.endswith((".yaml", ".yml")) and "/" in name
            }
        passwords = {database_file: os.environ["CASEBOOK_BI_THRIFT_PASSWORD"]}
        ImportDashboardsCommand(contents, passwords=passwords, overwrite=True).run()
    print(f"imported {sum(name.startswith('dashboards/') for name in contents)} dashboards")


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
