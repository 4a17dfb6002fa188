"""Finding an instansi by what an analyst types: a name ("Pandeglang", "Kota Serang"), an alias or a
Kemendagri code ("36.73"). The instansi whose name *is* the text comes first, then names starting
with it, then names containing it; a code matches from its start. Nothing fuzzy: typing a name
never lists unrelated instansi (issue 13, item 6)."""
from __future__ import annotations

import re
from typing import Iterable, Mapping

_PREFIXES = ("pemerintah ", "kementerian ", "badan ", "lembaga ")
_SPACES = re.compile(r"\s+")


def norm(text) -> str:
    """Lower case, single spaces, 'kabupaten' written 'kab.' as in the master."""
    t = _SPACES.sub(" ", str(text or "").strip().lower())
    return re.sub(r"\bkabupaten\b\.?", "kab.", t)


def _core(name: str) -> str:
    """'pemerintah kab. pandeglang' → 'pandeglang' (the place or body name)."""
    t = name
    for p in _PREFIXES:
        t = t.removeprefix(p)
    for p in ("kab. ", "kota ", "provinsi "):
        t = t.removeprefix(p)
    return t


def score(query: str, nama: str, aliases: Iterable[str] = (), kode: str | None = None) -> int | None:
    """0 = code or exact name, 1 = exact place/alias, 2 = name starts with it, 3 = a word starts with it,
    4 = contained in the name or an alias; None = no match."""
    q = norm(query)
    if not q:
        return None
    n, al = norm(nama), [norm(a) for a in aliases if a]
    bare = n.removeprefix("pemerintah ")
    if (kode and q == str(kode)) or q in (n, bare):
        return 0
    if q == _core(n) or q in al:
        return 1
    if kode and str(kode).startswith(q):
        return 2
    if bare.startswith(q) or _core(n).startswith(q):
        return 2
    if f" {q}" in f" {n}":
        return 3
    if q in n or any(q in a for a in al):
        return 4
    return None


def rank(query: str, rows: Iterable[Mapping]) -> list[str]:
    """instansi_id of the rows matching `query` (rows: instansi_id, nama, alias, kode_wilayah), best first;
    ties by name length (the plain 'Kota Serang' before 'Kota Serang Baru'), then name."""
    found = []
    for r in rows:
        alias = r.get("alias")
        aliases = alias if isinstance(alias, (list, tuple)) else str(alias or "").split("|")
        kode = r.get("kode_wilayah") if isinstance(r.get("kode_wilayah"), str) else None
        s = score(query, r["nama"], aliases, kode)
        if s is not None:
            found.append((s, len(str(r["nama"])), str(r["nama"]), str(r["instansi_id"])))
    return [iid for *_, iid in sorted(found)]
