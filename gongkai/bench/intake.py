"""Load test of online intake: many clients post applications to a real server on PostgreSQL.

Three runs against one gunicorn: ``intake`` (plain), ``intake+kill`` (the server is killed
with SIGKILL once 40 % of the requests are acknowledged, then restarted; clients retry what
got no answer) and ``ceiling`` (``GET /healthz``, a bare view doing ``SELECT 1``). After
each intake run every acknowledged tracking number is looked up in the database with
psycopg: DESIGN.md principle 4, "every accepted submission is durable before it is
acknowledged", measured rather than assumed.

The clients are threads of this process using ``http.client``; they need no Django.
"""

import contextlib
import http.client
import json
import os
import random
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass, field
from datetime import date, timedelta
from pathlib import Path

import psycopg

from gongkai.lib.identity import resident_id_check

HOST = "127.0.0.1"
KILL_AT = 0.4  # share of requests acknowledged before the server is killed
RETRY_FOR = 90.0  # seconds a client keeps retrying one request
BASE_DIR = Path(__file__).resolve().parent.parent.parent


class BenchError(RuntimeError):
    pass


@dataclass
class Figures:
    """One run. ``found``/``lost``/``duplicates``/``stored`` are None for the ceiling."""

    run: str
    requests: int
    acknowledged: int
    failed: int  # answered, but not with success (after retries): not acknowledged
    retried: int  # requests that needed more than one attempt
    seconds: float
    req_per_s: float
    p50_ms: float
    p99_ms: float
    found: int | None = None  # acknowledged numbers present in the database
    lost: int | None = None  # acknowledged numbers absent from the database
    duplicates: int | None = None  # numbers stored or acknowledged more than once
    stored: int | None = None  # rows this run wrote (acknowledged + committed-but-unanswered)


# --- Processes: a throwaway PostgreSQL cluster and gunicorn ------------------------------------


def free_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        return s.getsockname()[1]


def pg_bin() -> Path | None:
    """The newest Debian PostgreSQL server binaries, or wherever ``initdb`` is on PATH."""
    found = sorted(Path("/usr/lib/postgresql").glob("*/bin/initdb"), key=lambda p: int(p.parts[-3]))
    if found:
        return found[-1].parent
    initdb = shutil.which("initdb")
    return Path(initdb).parent if initdb else None


class Cluster:
    """A PostgreSQL cluster in a temporary folder on a free port (like ``bin/test``)."""

    def __init__(self, workdir: Path):
        self.bin = pg_bin()
        if self.bin is None:
            raise BenchError("未找到 PostgreSQL（initdb）：apt-get install postgresql")
        self.data = workdir / "pg"
        self.port = free_port()
        # initdb refuses to run as root: run the server as the postgres user then.
        self.as_pg = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
        self.url = f"postgres://gongkai@{HOST}:{self.port}/gongkai"

    def _run(self, *args: str) -> None:
        result = subprocess.run([*self.as_pg, *args], capture_output=True, text=True, check=False)
        if result.returncode != 0:
            raise BenchError(f"{Path(args[0]).name} 失败：{result.stderr.strip()}")

    def start(self) -> None:
        self.data.mkdir(parents=True)
        if self.as_pg:
            self.data.parent.chmod(0o755)
            shutil.chown(self.data, "postgres")
        self._run(
            str(self.bin / "initdb"), "-D", str(self.data), "-U", "gongkai", "-A", "trust",
            "-E", "UTF8", "--locale=C.UTF-8",
        )  # fmt: skip
        # fsync stays on: this is a durability measurement as much as a speed one.
        options = f"-p {self.port} -k {self.data} -c listen_addresses={HOST} -c max_connections=200"
        self._run(
            str(self.bin / "pg_ctl"), "-D", str(self.data), "-l", str(self.data / "server.log"),
            "-w", "-o", options, "start",
        )  # fmt: skip
        with psycopg.connect(f"postgres://gongkai@{HOST}:{self.port}/postgres") as conn:
            conn.autocommit = True
            conn.execute("CREATE DATABASE gongkai")

    def stop(self) -> None:
        if (self.data / "postmaster.pid").exists():
            with contextlib.suppress(BenchError):
                self._run(str(self.bin / "pg_ctl"), "-D", str(self.data), "-m", "fast", "stop")


def server_env(database_url: str, data_dir: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("GONGKAI_")}
    return {
        **env,
        "DJANGO_SETTINGS_MODULE": "gongkai.settings",
        "GONGKAI_DATABASE_URL": database_url,
        "GONGKAI_DATA_DIR": str(data_dir),
        "GONGKAI_LOG_LEVEL": "WARNING",
    }


def run_on_throwaway_database(
    database: str, command: list[str], *, say: Callable[[str], None], quiet: bool, name: str
) -> dict:
    """Run ``command`` (a child measuring on its configured database) against a throwaway
    SQLite folder or PostgreSQL cluster, and return the JSON object of its last output line."""
    workdir = Path(tempfile.mkdtemp(prefix=f"gongkai-bench-{name}."))
    cluster = None
    try:
        url = ""
        if database == "postgres":
            cluster = Cluster(workdir)
            say(f"启动临时 PostgreSQL / throwaway PostgreSQL on {HOST}:{cluster.port}")
            cluster.start()
            url = cluster.url
        else:
            say(f"临时 SQLite / throwaway SQLite in {workdir / 'data'}")
        (workdir / "data").mkdir(exist_ok=True)
        result = subprocess.run(
            command,
            env=server_env(url, workdir / "data"),
            cwd=BASE_DIR,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE if quiet else None,
            text=True,
            check=False,
        )
        if result.returncode != 0:
            tail = (result.stderr or "").strip()[-2000:]
            raise BenchError(f"{database} 测试进程失败（{result.returncode}）：{tail}")
        return json.loads(result.stdout.strip().splitlines()[-1])
    finally:
        if cluster:
            cluster.stop()
        shutil.rmtree(workdir, ignore_errors=True)


def prepare(env: dict[str, str]) -> int:
    """Migrate, load the calendar and make the receiving org (``gongkai bench prepare``)."""
    result = subprocess.run(
        [sys.executable, "-m", "gongkai.cli", "bench", "prepare"],
        env=env,
        cwd=BASE_DIR,
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode != 0:
        raise BenchError(f"准备数据库失败：{result.stderr.strip()[-2000:]}")
    return int(result.stdout.split()[-1])


class Server:
    """gunicorn in its own process group, so one ``killpg`` reaches master and workers."""

    def __init__(self, env: dict[str, str], workers: int, log: Path):
        self.env, self.workers, self.log = env, workers, log
        self.port = free_port()
        self.process: subprocess.Popen | None = None

    def start(self, timeout: float = 60.0) -> None:
        with self.log.open("ab") as log:
            self.process = subprocess.Popen(
                [
                    sys.executable, "-m", "gunicorn", "gongkai.wsgi:application",
                    "--bind", f"{HOST}:{self.port}", "--workers", str(self.workers),
                    "--backlog", "2048",
                ],
                env=self.env,
                cwd=BASE_DIR,
                stdout=log,
                stderr=log,
                start_new_session=True,
            )  # fmt: skip
        deadline = time.monotonic() + timeout
        while (left := deadline - time.monotonic()) > 0:
            if self.process.poll() is not None:
                tail = self.log.read_text(errors="replace")[-2000:]
                raise BenchError(f"gunicorn 启动失败：\n{tail}")
            if self._healthy(left):
                return
            time.sleep(0.1)
        raise BenchError(f"gunicorn 在 {timeout:.0f} 秒内未就绪")

    def _healthy(self, timeout: float) -> bool:
        # Refused at once until gunicorn listens; after a restart under load the check then
        # queues behind the clients' retries, so it gets all the time that is left.
        conn = http.client.HTTPConnection(HOST, self.port, timeout=timeout)
        try:
            conn.request("GET", "/healthz")
            return conn.getresponse().status == 200
        except (OSError, http.client.HTTPException):
            return False
        finally:
            conn.close()

    def _signal(self, sig: int) -> None:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, sig)

    def kill(self) -> None:
        """SIGKILL, no goodbye: what a power cut or the OOM killer does to the web tier."""
        self._signal(signal.SIGKILL)
        self.process.wait()

    def stop(self) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        self._signal(signal.SIGTERM)
        try:
            self.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.kill()


# --- Payloads --------------------------------------------------------------------------------

SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀英华玉兰平刚桂英建文辉红霞国庆春梅海燕志强"
ASKED = (
    "请公开本村{year}年征地补偿安置方案",
    "请公开{year}年城区道路改造项目的环境影响评价报告",
    "请公开{year}年度本镇低保对象名单及发放标准",
    "请公开涪城区某地块{year}年土地出让合同",
    "请公开{year}年市级财政专项资金分配结果",
    "请公开{year}年本小区旧城改造房屋征收决定及补偿方案",
)


def resident_id(rng: random.Random) -> str:
    born = date(1950, 1, 1) + timedelta(days=rng.randrange(365 * 55))
    body = f"510703{born:%Y%m%d}{rng.randrange(1000):03d}"
    return body + resident_id_check(body)


def application(rng: random.Random, org: int, tag: str, i: int) -> bytes:
    """One valid online application; ``tag`` marks it as this run's in the description."""
    name = rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.randint(1, 2)))
    asked = rng.choice(ASKED).format(year=rng.randint(2015, 2025))
    return json.dumps(
        {
            "org": org,
            "applicant_kind": "person",
            "applicant_name": name,
            "id_type": "resident_id",
            "id_number": resident_id(rng),
            "phone": f"13{rng.randint(0, 9)}{rng.randrange(10**8):08d}",
            "description": f"{asked}（{tag} 第{i}件）",
            "form_wanted": "electronic",
            "delivery": "online",
        },
        ensure_ascii=False,
    ).encode()


# --- Clients ---------------------------------------------------------------------------------


@dataclass
class Outcome:
    latency: float  # seconds from the first attempt to the final answer
    status: int  # 0: never answered
    attempts: int
    number: str = ""


@dataclass
class Load:
    """``total`` requests shared by ``clients`` threads; ``request(i)`` gives method, path, body."""

    port: int
    total: int
    clients: int
    request: Callable[[int], tuple[str, str, bytes | None]]
    ok: int  # the status that acknowledges
    outcomes: list[Outcome | None] = field(default_factory=list)
    acknowledged: int = 0
    stop: threading.Event = field(default_factory=threading.Event, repr=False)
    _next: Iterator[int] = field(default=iter(()), repr=False)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)
    _errors: list[BaseException] = field(default_factory=list, repr=False)

    def run(self, during: Callable[["Load"], None] | None = None) -> float:
        """Run to the end and return the wall time; ``during`` runs in its own thread."""
        self.outcomes = [None] * self.total
        self._next = iter(range(self.total))
        targets = [self._client] * self.clients + ([lambda: during(self)] if during else [])
        threads = [threading.Thread(target=self._guard, args=(t,), daemon=True) for t in targets]
        start = time.perf_counter()
        for thread in threads:
            thread.start()
        try:
            for i, thread in enumerate(threads):
                if i == self.clients:
                    self.stop.set()  # the clients are done: ``during`` may give up waiting
                while thread.is_alive():
                    thread.join(0.2)  # short joins keep Ctrl+C deliverable
        finally:
            self.stop.set()
        if self._errors:
            raise self._errors[0]
        return time.perf_counter() - start

    def _guard(self, target: Callable[[], None]) -> None:
        try:
            target()
        except BaseException as error:  # reported by run() in the main thread
            self._errors.append(error)
            self.stop.set()

    def _take(self) -> int | None:
        with self._lock:
            return next(self._next, None)

    def _client(self) -> None:
        conn = http.client.HTTPConnection(HOST, self.port, timeout=60)
        while not self.stop.is_set() and (i := self._take()) is not None:
            method, path, body = self.request(i)
            headers = {"Content-Type": "application/json"} if body else {}
            start, attempts, status, text = time.perf_counter(), 0, 0, b""
            while not self.stop.is_set() and time.perf_counter() - start < RETRY_FOR:
                attempts += 1
                try:
                    conn.request(method, path, body=body, headers=headers)
                    response = conn.getresponse()
                    status, text = response.status, response.read()
                except (OSError, http.client.HTTPException):
                    # Refused, reset or cut off mid-answer: not acknowledged; try again.
                    conn.close()
                    status = 0
                    time.sleep(0.05)
                    continue
                if status < 500:
                    break
                time.sleep(0.05)
            outcome = Outcome(time.perf_counter() - start, status, attempts)
            if status == self.ok and body:
                outcome.number = json.loads(text)["number"]
            with self._lock:
                self.outcomes[i] = outcome
                self.acknowledged += status == self.ok
        conn.close()


def kill_and_restart(server: Server, at: int) -> Callable[[Load], None]:
    def during(load: Load) -> None:
        while load.acknowledged < at:
            if load.stop.is_set():
                return
            time.sleep(0.005)
        server.kill()
        server.start()

    return during


# --- Checks and figures ------------------------------------------------------------------------


def check(database_url: str, numbers: list[str], tag: str) -> dict[str, int]:
    """Look every acknowledged number up; count duplicates and this run's rows."""
    with psycopg.connect(database_url) as conn:
        found = conn.execute(
            "SELECT count(DISTINCT number) FROM applications_application WHERE number = ANY(%s)",
            [numbers],
        ).fetchone()[0]
        stored_twice = conn.execute(
            "SELECT count(*) FROM (SELECT number FROM applications_application"
            " GROUP BY number HAVING count(*) > 1) AS d"
        ).fetchone()[0]
        stored = conn.execute(
            "SELECT count(*) FROM applications_application WHERE description LIKE %s",
            [f"%（{tag} 第%"],
        ).fetchone()[0]
    acknowledged_twice = len(numbers) - len(set(numbers))
    return {
        "found": found,
        "lost": len(set(numbers)) - found,
        "duplicates": stored_twice + acknowledged_twice,
        "stored": stored,
    }


def figures(run: str, load: Load, seconds: float) -> Figures:
    outcomes = [o for o in load.outcomes if o is not None]
    latencies = sorted(o.latency * 1000 for o in outcomes if o.status == load.ok)
    cuts = statistics.quantiles(latencies, n=100, method="inclusive") if len(latencies) > 1 else []
    return Figures(
        run=run,
        requests=load.total,
        acknowledged=load.acknowledged,
        failed=len(outcomes) - load.acknowledged,
        retried=sum(o.attempts > 1 for o in outcomes),
        seconds=round(seconds, 2),
        req_per_s=round(load.acknowledged / seconds, 1) if seconds else 0.0,
        p50_ms=round(cuts[49], 1) if cuts else 0.0,
        p99_ms=round(cuts[98], 1) if cuts else 0.0,
    )


def intake_run(run: str, server: Server, url: str, org: int, args, kill: bool) -> Figures:
    tag = f"性能测试 {run} {uuid.uuid4().hex[:8]}"
    rng = random.Random(42)
    bodies = [application(rng, org, tag, i) for i in range(args.requests)]
    load = Load(
        server.port,
        args.requests,
        args.clients,
        lambda i: ("POST", "/api/v1/applications", bodies[i]),
        ok=201,
    )
    during = kill_and_restart(server, max(1, int(args.requests * KILL_AT))) if kill else None
    seconds = load.run(during)
    result = figures(run, load, seconds)
    numbers = [o.number for o in load.outcomes if o and o.number]
    for name, value in check(url, numbers, tag).items():
        setattr(result, name, value)
    return result


def ceiling_run(server: Server, args) -> Figures:
    load = Load(
        server.port, args.requests, args.clients, lambda i: ("GET", "/healthz", None), ok=200
    )
    return figures("ceiling /healthz", load, load.run())


@dataclass
class Options:
    requests: int = 2000
    clients: int = 50
    workers: int = 4
    database_url: str = ""


def run_all(options: Options, *, say: Callable[[str], None] = lambda text: None) -> list[Figures]:
    """Start what is needed, run the three runs, stop everything (also on errors and Ctrl+C)."""
    workdir = Path(tempfile.mkdtemp(prefix="gongkai-bench."))
    cluster = server = None
    try:
        url = options.database_url
        if not url:
            cluster = Cluster(workdir)
            say(f"启动临时 PostgreSQL / throwaway PostgreSQL on {HOST}:{cluster.port}")
            cluster.start()
            url = cluster.url
        env = server_env(url, workdir / "data")
        say("迁移、载入日历、建立受理机关 / migrate, load the calendar, create an org")
        org = prepare(env)
        server = Server(env, options.workers, workdir / "gunicorn.log")
        say(f"启动 gunicorn / gunicorn on {HOST}:{server.port}, {options.workers} workers")
        server.start()
        runs = []
        for run, kill in (("intake", False), ("intake+kill", True)):
            say(f"{run}: {options.requests} requests from {options.clients} clients")
            runs.append(intake_run(run, server, url, org, options, kill))
        say(f"ceiling: {options.requests} × GET /healthz")
        runs.append(ceiling_run(server, options))
        return runs
    finally:
        if server:
            server.stop()
        if cluster:
            cluster.stop()
        shutil.rmtree(workdir, ignore_errors=True)


COLUMNS = (
    ("run", "{:<18}"),
    ("requests", "{:>8}"),
    ("acknowledged", "{:>12}"),
    ("retried", "{:>7}"),
    ("req_per_s", "{:>8}"),
    ("p50_ms", "{:>8}"),
    ("p99_ms", "{:>8}"),
    ("lost", "{:>5}"),
    ("duplicates", "{:>10}"),
    ("stored", "{:>7}"),
)
HEADINGS = {"req_per_s": "req/s", "p50_ms": "p50 ms", "p99_ms": "p99 ms"}


def table(runs: list[Figures]) -> str:
    lines = [" ".join(fmt.format(HEADINGS.get(name, name)) for name, fmt in COLUMNS)]
    for figures_ in runs:
        row = asdict(figures_)
        cells = (fmt.format("—" if row[name] is None else row[name]) for name, fmt in COLUMNS)
        lines.append(" ".join(cells))
    return "\n".join(lines)
