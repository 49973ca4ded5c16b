"""A throwaway PostgreSQL server for the tests and benchmarks: initdb in a temp dir, loopback port,
unix socket in the same dir, stopped (and the dir removed) at the end.

PostgreSQL refuses to run as root, so as root (CI) the server runs as the ``postgres`` system user
(made by the Debian package), else ``nobody``, through ``runuser``. Nothing outside the temp dir is
touched. ``find_bindir()`` is None only where PostgreSQL is not installed:
``apt-get install -y postgresql`` (``make pg-prereq`` does it as root).

    python -m tests.pg_server          # start one, print its URL, stop on Enter
"""

from __future__ import annotations

import contextlib
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

SUPERUSER = "wpsync"


def find_bindir() -> Path | None:
    """The newest installed PostgreSQL's bin directory (Debian's versioned layout, or PATH)."""
    env = os.environ.get("WPSYNC_PG_BINDIR")
    if env and (Path(env) / "initdb").exists():
        return Path(env)
    found = sorted(
        Path("/usr/lib/postgresql").glob("*/bin/initdb"),
        key=lambda p: int(p.parent.parent.name) if p.parent.parent.name.isdigit() else 0,
    )
    if found:
        return found[-1].parent
    initdb = shutil.which("initdb")
    return Path(initdb).parent if initdb else None


@dataclass
class PgServer:
    bindir: Path
    root: Path
    port: int
    run_as: str | None

    @property
    def url(self) -> str:
        return f"postgresql://{SUPERUSER}@127.0.0.1:{self.port}/postgres"

    def url_for(self, database: str, workspace: str | None = None) -> str:
        base = f"postgresql://{SUPERUSER}@127.0.0.1:{self.port}/{database}"
        return f"{base}?workspace={workspace}" if workspace else base

    def _run(self, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
        command = [str(self.bindir / args[0]), *args[1:]]
        if self.run_as is not None:
            command = ["runuser", "-u", self.run_as, "--", *command]
        return subprocess.run(command, capture_output=True, text=True, check=check, cwd=self.root)

    def create_database(self, name: str) -> str:
        return _create_database(self.url, name, self.url_for(name))

    def stop(self) -> None:
        self._run("pg_ctl", "-D", str(self.root / "data"), "-m", "immediate", "-w", "stop", check=False)


@dataclass
class ExternalPg:
    """A server someone else runs (``WPSYNC_TEST_PG_URL``): a role that may create databases."""

    url: str

    def url_for(self, database: str, workspace: str | None = None) -> str:
        parts = urlsplit(self.url)
        query = [(k, v) for k, v in parse_qsl(parts.query) if k != "workspace"]
        if workspace:
            query.append(("workspace", workspace))
        return urlunsplit(parts._replace(path=f"/{database}", query=urlencode(query)))

    def create_database(self, name: str) -> str:
        return _create_database(
            self.url_for(urlsplit(self.url).path.lstrip("/") or "postgres"), name, self.url_for(name)
        )


def _create_database(admin_url: str, name: str, url: str) -> str:
    import psycopg

    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')  # type: ignore[arg-type]
    return url


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _unprivileged_user() -> str | None:
    if os.geteuid() != 0:
        return None
    for name in ("postgres", "nobody"):
        with contextlib.suppress(KeyError):
            pwd.getpwnam(name)
            return name
    raise RuntimeError("running as root, and neither a postgres nor a nobody user exists to run PostgreSQL")


@contextlib.contextmanager
def running_postgres(*, durable: bool = False) -> Iterator[PgServer]:
    """Start a server (``durable=False``: fsync off, for tests; benchmarks want True)."""
    bindir = find_bindir()
    if bindir is None:
        raise FileNotFoundError("PostgreSQL is not installed (no initdb): apt-get install -y postgresql")
    root = Path(tempfile.mkdtemp(prefix="wpsync-pg-"))
    run_as = _unprivileged_user()
    if run_as is not None:
        entry = pwd.getpwnam(run_as)
        os.chown(root, entry.pw_uid, entry.pw_gid)
    server = PgServer(bindir, root, 0, run_as)
    try:
        server._run("initdb", "-D", str(root / "data"), "-U", SUPERUSER, "-A", "trust", "-E", "UTF8",
                    "--no-sync", "--locale=C")  # fmt: skip
        for _attempt in range(5):
            server.port = _free_port()
            options = f"-c listen_addresses=127.0.0.1 -p {server.port} -k {root} -c max_connections=60"
            if not durable:
                options += " -c fsync=off -c full_page_writes=off"
            started = server._run("pg_ctl", "-D", str(root / "data"), "-o", options,
                                  "-l", str(root / "log"), "-w", "-t", "30", "start", check=False)  # fmt: skip
            if started.returncode == 0:
                break
        else:
            log = (root / "log").read_text(errors="replace") if (root / "log").exists() else ""
            raise RuntimeError(f"PostgreSQL did not start: {started.stderr}\n{log[-2000:]}")
        yield server
    finally:
        server.stop()
        shutil.rmtree(root, ignore_errors=True)


def find_pgbouncer() -> Path | None:
    """PgBouncer's binary (Debian's package puts it in /usr/sbin), or None where it is not installed."""
    found = shutil.which("pgbouncer") or (
        "/usr/sbin/pgbouncer" if Path("/usr/sbin/pgbouncer").exists() else None
    )
    return Path(found) if found else None


@dataclass
class Bouncer:
    """A PgBouncer in front of a test server: same user and databases, its own loopback port."""

    port: int
    process: subprocess.Popen[bytes]

    def url_for(self, database: str, workspace: str | None = None) -> str:
        base = f"postgresql://{SUPERUSER}@127.0.0.1:{self.port}/{database}"
        return f"{base}?workspace={workspace}" if workspace else base

    def stop(self) -> None:
        """Stop the pooler, and with it every server session it kept open (idempotent)."""
        if self.process.poll() is None:
            self.process.terminate()
            with contextlib.suppress(subprocess.TimeoutExpired):
                self.process.wait(5)
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait()


@contextlib.contextmanager
def running_pgbouncer(server: PgServer, *, pool_size: int, mode: str = "transaction") -> Iterator[Bouncer]:
    """Start PgBouncer (``pool_mode = mode``, ``default_pool_size = pool_size``) on loopback in front of
    ``server``, as the user the server runs as (PgBouncer refuses root); stopped at the end."""
    binary = find_pgbouncer()
    if binary is None:
        raise FileNotFoundError("PgBouncer is not installed: apt-get install -y pgbouncer")
    root = Path(tempfile.mkdtemp(prefix="wpsync-bouncer-"))
    port = _free_port()
    (root / "users.txt").write_text(f'"{SUPERUSER}" ""\n')
    (root / "pgbouncer.ini").write_text(
        f"[databases]\n* = host=127.0.0.1 port={server.port}\n\n[pgbouncer]\n"
        f"listen_addr = 127.0.0.1\nlisten_port = {port}\nunix_socket_dir =\n"
        f"auth_type = trust\nauth_file = {root / 'users.txt'}\n"
        f"pool_mode = {mode}\ndefault_pool_size = {pool_size}\nmin_pool_size = 0\nreserve_pool_size = 0\n"
        "max_client_conn = 200\nignore_startup_parameters = extra_float_digits,options\n"
        f"logfile = {root / 'pgbouncer.log'}\npidfile = {root / 'pgbouncer.pid'}\n"
    )
    command = [str(binary), str(root / "pgbouncer.ini")]
    if server.run_as is not None:
        entry = pwd.getpwnam(server.run_as)
        for path in (root, *root.iterdir()):
            os.chown(path, entry.pw_uid, entry.pw_gid)
        command = ["runuser", "-u", server.run_as, "--", *command]
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        for _ in range(200):
            with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), timeout=0.2):
                break
            if process.poll() is not None:
                log = (
                    (root / "pgbouncer.log").read_text(errors="replace")
                    if (root / "pgbouncer.log").exists()
                    else ""
                )
                raise RuntimeError(
                    f"PgBouncer did not start: {process.stderr.read() if process.stderr else ''}{log[-2000:]}"
                )
            time.sleep(0.05)
        else:
            raise RuntimeError("PgBouncer did not listen within 10 s")
        bouncer = Bouncer(port, process)
        yield bouncer
    finally:
        Bouncer(port, process).stop()
        shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    with running_postgres() as pg:
        print(pg.url, flush=True)
        input("running; press Enter to stop\n")
