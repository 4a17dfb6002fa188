"""`python -m etl sync`: fetch the TAUVAL export (JSON, etl/readers/tauval.py) and import it.

    SPBE_TAUVAL_URL=https://eval.spbe.go.id/… SPBE_TAUVAL_TOKEN=… python -m etl sync --tahun 2025 [--dry-run]

The URL comes from --url or $SPBE_TAUVAL_URL; the bearer token ONLY from $SPBE_TAUVAL_TOKEN. The
token is sent in an Authorization header that follows a redirect only to the same host, and it is never
printed, logged or written to the import log (messages name the URL's host; the log records the
URL without its query string). Standard library only (urllib): a timeout per attempt, up to
--retries attempts with backoff on connection errors, timeouts and 5xx; a 4xx is final. The body
is saved to a temporary file named after the host and year and goes through the same reader and
the same importer as `python -m etl import` (`etl.importer.run_import`: the publish lock, the
judgement of replacements, one snapshot, the import log).

Exit codes: 0 published (or a clean dry run); 1 the fetch failed, the data were refused or a
replacement was refused (nothing published); 2 usage error (no URL, no token, not an http(s) URL);
130 Ctrl-C before the switch (nothing published).
"""
from __future__ import annotations

import argparse
import http.client
import os
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

from domain.warehouse_layout import warehouse_dir

URL_ENV = "SPBE_TAUVAL_URL"
TOKEN_ENV = "SPBE_TAUVAL_TOKEN"
RETRIES = 3
TIMEOUT_S = 30.0
BACKOFF_S = 1.0          # waits 1 s, then 2 s, … between attempts (tests set 0)
MAX_BYTES = 20_000_000   # as etl.readers.DEFAULT_MAX_BYTES


class FetchError(Exception):
    """The export could not be fetched; the message names the host and what happened, never the token."""


class UsageError(Exception):
    """No URL, no token, or not an http(s) URL (exit code 2)."""


def _progress(msg: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {msg}", file=sys.stderr, flush=True)


def _host(url: str) -> str:
    parts = urllib.parse.urlsplit(url)
    return parts.hostname + (f":{parts.port}" if parts.port else "") if parts.hostname else "?"


def with_year(url: str, tahun: int | None) -> str:
    """The URL with `tahun=<year>` added to its query (replacing one already there)."""
    if tahun is None:
        return url
    parts = urllib.parse.urlsplit(url)
    query = [(k, v) for k, v in urllib.parse.parse_qsl(parts.query, keep_blank_values=True) if k != "tahun"]
    return urllib.parse.urlunsplit(parts._replace(query=urllib.parse.urlencode(query + [("tahun", str(tahun))])))


class _SameHostRedirect(urllib.request.HTTPRedirectHandler):
    """Follow a redirect; carry the token only to the same host (same scheme, or http → https)."""

    def redirect_request(self, req, fp, code, msg, headers, newurl):
        new = super().redirect_request(req, fp, code, msg, headers, newurl)
        auth = req.unredirected_hdrs.get("Authorization")
        old, to = urllib.parse.urlsplit(req.full_url), urllib.parse.urlsplit(newurl)
        if new is not None and auth and to.hostname == old.hostname and to.port == old.port \
                and to.scheme in (old.scheme, "https"):
            new.add_unredirected_header("Authorization", auth)
        return new


def _attempt(url: str, token: str, timeout: float, max_bytes: int) -> bytes:
    """One GET; raises urllib/http errors as they come (classified by `fetch`)."""
    req = urllib.request.Request(url, headers={"Accept": "application/json", "User-Agent": "spbe-dashboard-sync"})
    req.add_unredirected_header("Authorization", f"Bearer {token}")  # never copied to another host on a redirect
    opener = urllib.request.build_opener(_SameHostRedirect())
    with opener.open(req, timeout=timeout) as resp:
        data = resp.read(max_bytes + 1)
    if len(data) > max_bytes:
        raise FetchError(f"{_host(url)}: jawaban lebih dari {max_bytes // 1_000_000} MB; tidak dibaca")
    return data


def fetch(url: str, token: str, *, timeout: float = TIMEOUT_S, retries: int = RETRIES, backoff: float | None = None,
          max_bytes: int = MAX_BYTES, say=_progress) -> bytes:
    """The body of a GET with a bearer token: up to `retries` attempts, waiting backoff·2^k between them,
    on connection errors, timeouts and HTTP 5xx; HTTP 4xx and other statuses fail at once."""
    host, backoff = _host(url), BACKOFF_S if backoff is None else backoff
    last = ""
    for attempt in range(1, max(retries, 1) + 1):
        try:
            return _attempt(url, token, timeout, max_bytes)
        except urllib.error.HTTPError as exc:
            if exc.code < 500:
                raise FetchError(_status_text(host, exc.code)) from None
            last = f"server menjawab HTTP {exc.code} ({exc.reason})"
        except (TimeoutError, ConnectionError, http.client.HTTPException) as exc:
            last = _network_text(exc, timeout)
        except urllib.error.URLError as exc:
            last = _network_text(exc.reason, timeout)
        except ValueError as exc:  # a URL urllib cannot use
            raise FetchError(f"{host}: alamat tidak dapat dipakai ({exc.__class__.__name__})") from None
        if attempt < max(retries, 1):
            wait = backoff * 2 ** (attempt - 1)
            say(f"{host}: percobaan {attempt}/{retries} gagal ({last}); dicoba lagi dalam {wait:g} detik")
            time.sleep(wait)
    raise FetchError(f"{host}: gagal setelah {max(retries, 1)} percobaan — {last}")


def _network_text(reason, timeout: float) -> str:
    if isinstance(reason, TimeoutError) or "timed out" in str(reason):
        return f"batas waktu {timeout:g} detik terlampaui tanpa jawaban lengkap"
    if isinstance(reason, OSError) and reason.strerror:
        return f"koneksi gagal ({reason.strerror})"
    return f"koneksi gagal ({reason.__class__.__name__})"


def _status_text(host: str, code: int) -> str:
    if code in (401, 403):
        return (f"{host}: akses ditolak (HTTP {code}); periksa token di ${TOKEN_ENV} (token tidak ditampilkan) "
                "dan hak aksesnya; tidak dicoba ulang")
    if code == 404:
        return f"{host}: alamat tidak ditemukan (HTTP 404); periksa --url / ${URL_ENV}; tidak dicoba ulang"
    return f"{host}: permintaan ditolak (HTTP {code}); tidak dicoba ulang"


def settings(url_arg: str | None) -> tuple[str, str]:
    """(url, token) from --url / the environment; UsageError naming what is missing."""
    url = (url_arg or os.environ.get(URL_ENV, "")).strip()
    token = os.environ.get(TOKEN_ENV, "").strip()
    if not url:
        raise UsageError(f"alamat ekspor TAUVAL belum diberikan: pakai --url atau ${URL_ENV}")
    parts = urllib.parse.urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise UsageError(f"--url harus alamat http(s) lengkap (mis. https://eval.spbe.go.id/…), "
                         f"bukan alamat dengan skema '{parts.scheme or '-'}'")
    if not token:
        raise UsageError(f"token belum diisi: setel ${TOKEN_ENV} di lingkungan (token tidak pernah diterima "
                         "sebagai argumen)")
    return url, token


def command_text(url: str, args: argparse.Namespace) -> str:
    """The command as logged: the URL without its query string (it may carry secrets), no token."""
    parts = urllib.parse.urlsplit(url)
    shown = urllib.parse.urlunsplit(parts._replace(query="", fragment="", netloc=_host(url)))
    text = f"python -m etl sync --url {shown}"
    for flag in ("tahun", "tanggal_dokumen", "keep"):
        if getattr(args, flag, None) is not None:
            text += f" --{flag.replace('_', '-')} {getattr(args, flag)}"
    for flag in ("dry_run", "replace_levels", "allow_older"):
        if getattr(args, flag, False):
            text += " --" + flag.replace("_", "-")
    return text


def cmd_sync(args: argparse.Namespace) -> int:
    from etl.snapshots import SnapshotError, keep_setting

    try:
        url, token = settings(args.url)
        keep = keep_setting(args.keep)
    except (UsageError, SnapshotError) as exc:
        print(str(exc), file=sys.stderr)
        return 2
    target = with_year(url, args.tahun)
    _progress(f"mengambil ekspor TAUVAL dari {_host(url)}" + (f" (tahun {args.tahun})" if args.tahun else ""))
    try:
        data = fetch(target, token, timeout=args.timeout, retries=args.retries)
    except FetchError as exc:
        print(f"GAGAL MENGAMBIL: {str(exc).replace(token, '***')}. Tidak ada yang dipublikasikan; "
              "snapshot yang terbit tidak berubah.")
        return 1
    if data.lstrip()[:1] not in (b"{", b"["):
        print(f"GAGAL: {_host(url)} tidak mengirim JSON (awal jawaban bukan '{{' atau '['); "
              "tidak ada yang dipublikasikan.")
        return 1
    name = f"tauval_{_host(url).replace(':', '_')}_{args.tahun or 'semua'}.json"
    with tempfile.TemporaryDirectory(prefix="spbe-sync-") as tmp:
        path = Path(tmp) / name
        path.write_bytes(data)
        _progress(f"{len(data)} byte diterima; dibaca sebagai {name}")
        return _import(path, args, keep, command_text(url, args))


def _import(path: Path, args: argparse.Namespace, keep: int, command: str) -> int:
    """Read, validate and import the fetched file exactly as `python -m etl import` does."""
    from etl.build import PublishError
    from etl.cli_import import _print_plan
    from etl.import_plan import import_file
    from etl.importer import run_import
    from etl.readers import InputError, read_path

    try:
        parsed = read_path(path, tahun=args.tahun)
    except InputError as exc:
        print(f"DITOLAK {path.name}: {exc}")
        return 1
    report = parsed.report
    n = 0 if parsed.index is None else len(parsed.index)
    print(f"{'VALID' if report.ok else 'DITOLAK'} {path.name} ({parsed.format}): {n} instansi, "
          f"{len(report.errors)} galat/tinjau, {len(report.warnings)} peringatan")
    if report.format_text(limit=args.limit):
        print(report.format_text(limit=args.limit))
    if not report.ok:
        print("Tidak ada yang dipublikasikan; snapshot yang terbit tidak berubah.")
        return 1
    root = warehouse_dir(args.warehouse)
    try:
        outcome = run_import(root, [import_file(parsed, path, args.tanggal_dokumen)], replace_levels=args.replace_levels,
                             allow_older=args.allow_older, dry_run=args.dry_run, keep=keep, progress=_progress,
                             command=command)
    except KeyboardInterrupt:
        print("Dihentikan (Ctrl-C) sebelum snapshot baru terbit: tidak ada yang dipublikasikan.")
        return 130
    except PublishError as exc:
        print(f"DITOLAK saat membangun snapshot: {exc}")
        return 1
    plan, res = outcome.plan, outcome.result
    _print_plan(plan, args.limit)
    if plan.refused:
        print(f"DITOLAK: {len(plan.refused)} instansi-tahun akan kehilangan data tanpa izin. Tidak ada yang "
              f"dipublikasikan; snapshot yang terbit ({plan.snapshot or '-'}) tidak berubah.")
        return 1
    if not outcome.published:
        print("Uji kering: data TAUVAL valid; tidak ada yang dipublikasikan.")
    else:
        print(f"DIPUBLIKASIKAN ekspor TAUVAL sebagai snapshot {res.snapshot_id} (sebelumnya {res.previous or '-'}); "
              "dicatat di log impor.")
    return 0


def register(sub) -> None:
    from etl.cli_import import add_import_flags

    s = sub.add_parser("sync", help="ambil ekspor TAUVAL (JSON) dari URL dengan token, lalu impor seperti 'import'")
    s.add_argument("--url", help=f"alamat ekspor TAUVAL (bawaan: ${URL_ENV}); token dari ${TOKEN_ENV}")
    s.add_argument("--tahun", type=int, help="ambil dan muat hanya tahun ini (parameter tahun=; tahun lain ditolak)")
    s.add_argument("--dry-run", action="store_true", help="ambil dan validasi; jangan publikasikan")
    s.add_argument("--timeout", type=float, default=TIMEOUT_S, help=f"batas waktu per percobaan, detik (bawaan {TIMEOUT_S:g})")
    s.add_argument("--retries", type=int, default=RETRIES, help=f"jumlah percobaan (bawaan {RETRIES})")
    s.add_argument("--limit", type=int, default=50, help="baris laporan yang dicetak")
    add_import_flags(s)
    s.set_defaults(func=cmd_sync)
