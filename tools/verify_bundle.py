#!/usr/bin/python3
"""A second verifier of Custodia audit bundles, written from docs/audit-bundle.md alone.

Run with Debian's /usr/bin/python3 and python3-cryptography (scripts/system-deps.sh installs it):

    tools/verify_bundle.py FILE --trusted-key KEY [--trusted-key KEY ...] [--checkpoint FILE ...]
    tools/verify_bundle.py --batch --trusted-key KEY [...] < paths.txt

One file: prints any notes, then the verdict as the last line; exits 0 only for consistent
(1 inconsistent, 3 unknown, 2 bad arguments), like `custodia audit verify`. Batch: reads one path
per line on stdin and prints one JSON object per line ({"file", "status", "message", "first_bad",
"last_bad", "notes"}), so thousands of files are checked in one process; exits 0 only if every
file is consistent.

It shares no code with Custodia: an independent reading of the specification, so that a fault in
one implementation is not silently repeated in the other.
"""

import argparse
import base64
import binascii
import hashlib
import json
import re
import sys

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

MAGIC_V2 = b"custodia-audit-bundle/v2"
MAGIC_V1 = b"custodia-audit-bundle/v1"
EM_DASH = "\u2014"
MAX_SIGNATURES = 100
HASH_SIZE = 32


class Verdict(Exception):
    """The end of a verification: status is consistent, inconsistent or unknown."""

    def __init__(self, status, reason, first_bad=None, last_bad=None):
        super().__init__(reason)
        self.status = status
        self.reason = reason
        self.first_bad = first_bad
        self.last_bad = last_bad

    def message(self):
        if self.status == "consistent":
            return self.reason
        if self.status == "unknown":
            return "unknown (could not check %s)" % self.reason
        where = ""
        if self.first_bad is not None:
            if self.last_bad is not None and self.last_bad != self.first_bad:
                where = "first bad record %d (or a later one up to %d), " % (self.first_bad, self.last_bad)
            else:
                where = "first bad record %d, " % self.first_bad
        return "inconsistent (%sbecause %s)" % (where, self.reason)


def inconsistent(reason, first_bad=None, last_bad=None):
    return Verdict("inconsistent", reason, first_bad, last_bad)


def malformed(reason):
    return inconsistent("the bundle file is malformed: " + reason)


# --- RFC 4648 base64, strict: standard alphabet, padding, canonical trailing bits -----------------

B64_RE = re.compile(r"^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$")


def b64(text):
    """The bytes, or None if text is not canonical base64."""
    if not isinstance(text, str) or not B64_RE.match(text):
        return None
    try:
        raw = base64.b64decode(text, validate=True)
    except (binascii.Error, ValueError):
        return None
    return raw if base64.b64encode(raw).decode("ascii") == text else None


def hash32(text, what):
    raw = b64(text)
    if raw is None or len(raw) != HASH_SIZE:
        raise malformed("%s is not base64 of 32 bytes" % what)
    return raw


# --- RFC 8785 canonical JSON (what the header must already be) ------------------------------------

def jcs(value):
    if value is None:
        return "null"
    if value is True:
        return "true"
    if value is False:
        return "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if value != value or value in (float("inf"), float("-inf")):
            raise ValueError("not a JSON number")
        if value == int(value) and abs(value) < 1e21:
            return str(int(value))
        text = repr(value)
        if "e" in text:
            mantissa, exponent = text.split("e")
            exp = int(exponent)
            text = "%se%s%d" % (mantissa, "+" if exp > 0 else "-", abs(exp))
        return text
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, list):
        return "[" + ",".join(jcs(v) for v in value) + "]"
    if isinstance(value, dict):
        keys = sorted(value.keys(), key=lambda k: k.encode("utf-16-be"))
        return "{" + ",".join(json.dumps(k, ensure_ascii=False) + ":" + jcs(value[k]) for k in keys) + "}"
    raise ValueError("not JSON")


def no_duplicates(pairs):
    out = {}
    for key, value in pairs:
        if key in out:
            raise ValueError("duplicate member %r" % key)
        out[key] = value
    return out


def has_lone_surrogate(value):
    if isinstance(value, str):
        return any(0xD800 <= ord(c) <= 0xDFFF for c in value)
    if isinstance(value, list):
        return any(has_lone_surrogate(v) for v in value)
    if isinstance(value, dict):
        return any(has_lone_surrogate(k) or has_lone_surrogate(v) for k, v in value.items())
    return False


def strict_json(raw):
    """Parses UTF-8 JSON refusing duplicates and lone surrogates; returns (value, is_canonical)."""
    text = raw.decode("utf-8")
    value = json.loads(text, object_pairs_hook=no_duplicates)
    if has_lone_surrogate(value):
        raise ValueError("a lone surrogate")
    return value, jcs(value).encode("utf-8") == raw


# --- C2SP signed notes with Ed25519 ---------------------------------------------------------------

class Key:
    def __init__(self, vkey):
        parts = vkey.split("+", 2)
        if len(parts) != 3:
            raise ValueError("a verifier key is name+id+key")
        name, key_id, key_b64 = parts
        if not name or re.search(r"[\s+]", name) or any(ord(c) < 0x20 or ord(c) == 0x7F for c in name):
            raise ValueError("the key name is not valid")
        if not re.match(r"^[0-9a-f]{8}$", key_id):
            raise ValueError("the key id is not 8 lowercase hex digits")
        raw = b64(key_b64)
        if raw is None or len(raw) != 33 or raw[0] != 0x01:
            raise ValueError("the key is not an Ed25519 key (0x01 and 32 bytes, base64)")
        digest = hashlib.sha256(name.encode("utf-8") + b"\n" + raw).digest()
        if digest[:4] != bytes.fromhex(key_id):
            raise ValueError("the key id does not match the key")
        self.vkey = vkey
        self.name = name
        self.key_id = digest[:4]
        self.public = Ed25519PublicKey.from_public_bytes(raw[1:])

    def verify(self, message, signature):
        try:
            self.public.verify(signature, message)
            return True
        except InvalidSignature:
            return False


class NoteProblem(Exception):
    pass


def parse_note(note):
    """(text, [(name, blob)]) or NoteProblem."""
    cut = note.rfind("\n\n")
    if cut < 0:
        raise NoteProblem("it has no signatures")
    text = note[: cut + 1]
    if any((ord(c) < 0x20 and c != "\n") or ord(c) == 0x7F for c in text):
        raise NoteProblem("its text holds a control character")
    rest = note[cut + 2 :]
    if not rest.endswith("\n"):
        raise NoteProblem("its last signature line does not end with a newline")
    lines = rest[:-1].split("\n")
    if len(lines) > MAX_SIGNATURES:
        raise NoteProblem("it has more than %d signatures" % MAX_SIGNATURES)
    signatures = []
    for line in lines:
        m = re.match(r"^" + EM_DASH + r" (\S+) (\S+)$", line)
        if m is None:
            raise NoteProblem("a signature line is malformed")
        blob = b64(m.group(2))
        if blob is None or len(blob) < 5:
            raise NoteProblem("a signature is not valid base64")
        signatures.append((m.group(1), blob))
    return text, signatures


def open_note(note, keys):
    """The note's text if a trusted key signed it; None if no trusted key did; NoteProblem if bad."""
    text, signatures = parse_note(note)
    ok = False
    for name, blob in signatures:
        for key in keys:
            if key.name == name and key.key_id == blob[:4]:
                if len(blob) != 68 or not key.verify(text.encode("utf-8"), blob[4:]):
                    raise NoteProblem("the signature by %s does not verify" % key.vkey)
                ok = True
    return text if ok else None


CHECKPOINT_RE = re.compile(r"^([^\s+]+)\n(0|[1-9][0-9]{0,15})\n([^\n]*)\n$")


def parse_checkpoint(text):
    m = CHECKPOINT_RE.match(text)
    if m is None:
        raise NoteProblem("it is not a three-line checkpoint (origin, size, root)")
    root = b64(m.group(3))
    if root is None or len(root) != HASH_SIZE:
        raise NoteProblem("its root is not base64 of 32 bytes")
    return m.group(1), int(m.group(2)), root


# --- RFC 9162 Merkle tree -------------------------------------------------------------------------

def leaf_hash(data):
    return hashlib.sha256(b"\x00" + data).digest()


def node_hash(left, right):
    return hashlib.sha256(b"\x01" + left + right).digest()


class CompactRange:
    def __init__(self, size, subtrees):
        if bin(size).count("1") != len(subtrees):
            raise malformed("the tree prefix of size %d does not have one subtree per set bit" % size)
        self.size = size
        self.subtrees = list(subtrees)

    def push(self, h):
        s = self.size
        while s & 1:
            h = node_hash(self.subtrees.pop(), h)
            s >>= 1
        self.subtrees.append(h)
        self.size += 1

    def root(self):
        if not self.subtrees:
            return hashlib.sha256(b"").digest()
        r = self.subtrees[-1]
        for s in reversed(self.subtrees[:-1]):
            r = node_hash(s, r)
        return r


def verify_consistency(first, second, first_hash, second_hash, proof):
    """RFC 9162 section 2.1.4.2."""
    if first == 0 or first > second:
        return False
    if first == second:
        return not proof and first_hash == second_hash
    if not proof:
        return False
    path = list(proof)
    if first & (first - 1) == 0:
        path.insert(0, first_hash)
    fn, sn = first - 1, second - 1
    while fn & 1:
        fn >>= 1
        sn >>= 1
    fr = sr = path[0]
    for c in path[1:]:
        if sn == 0:
            return False
        if fn & 1 or fn == sn:
            fr = node_hash(c, fr)
            sr = node_hash(c, sr)
            if not fn & 1:
                while not fn & 1 and fn != 0:
                    fn >>= 1
                    sn >>= 1
        else:
            sr = node_hash(sr, c)
        fn >>= 1
        sn >>= 1
    return fr == first_hash and sr == second_hash and sn == 0


# --- The file -------------------------------------------------------------------------------------

def parse_file(data):
    pos = 0

    def line(what):
        nonlocal pos
        nl = data.find(b"\n", pos, pos + 201)
        if nl < 0:
            raise malformed("the %s line is missing at byte %d" % (what, pos))
        text = data[pos:nl]
        pos = nl + 1
        return text

    def section(what):
        nonlocal pos
        at = pos
        m = re.match(rb"^" + what.encode() + rb" (0|[1-9][0-9]{0,9})$", line(what))
        if m is None:
            raise malformed('the "%s <length>" line at byte %d is malformed' % (what, at))
        length = int(m.group(1))
        if pos + length + 1 > len(data) or data[pos + length] != 0x0A:
            raise malformed("the %s (from byte %d) is shorter than its stated length" % (what, pos))
        raw = data[pos : pos + length]
        pos += length + 1
        return raw

    magic = line("format")
    if magic not in (MAGIC_V1, MAGIC_V2):
        raise malformed('the file does not start with "%s"' % MAGIC_V2.decode())
    version = 2 if magic == MAGIC_V2 else 1
    header_start = pos
    header_raw = section("header")
    header_at = (header_start, pos - 1)
    try:
        header, canonical = strict_json(header_raw)
    except ValueError as error:
        raise malformed("the header (bytes %d..%d) is not valid JSON (%s)" % (header_at[0], header_at[1], error))
    if not canonical:
        raise malformed("the header (bytes %d..%d) is not RFC 8785 canonical JSON" % header_at)
    if not isinstance(header, dict):
        raise malformed("the header is not a JSON object")
    if version == 2:
        manifest_start = pos
        manifest_raw = section("manifest")
        try:
            manifest_text = manifest_raw.decode("utf-8")
        except UnicodeDecodeError:
            raise malformed("the manifest (from byte %d) is not UTF-8" % manifest_start)
        if "manifest" in header:
            raise malformed("the header's field list is malformed")
        header["manifest"] = manifest_text
    check_header(header, version)
    m = re.match(rb"^leaves (0|[1-9][0-9]{0,15})$", line("leaves"))
    if m is None:
        raise malformed('the "leaves <count>" line is malformed')
    count = int(m.group(1))
    leaves = []
    for i in range(count):
        nl = data.find(b"\n", pos)
        if nl < 0:
            raise malformed("the file ends after %d of %d leaves" % (i, count))
        leaves.append(data[pos:nl])
        pos = nl + 1
    if data[pos:] != b"end\n":
        raise malformed('the leaves are not followed by exactly "end\\n" (at byte %d)' % pos)
    return {
        "version": version,
        "header": header,
        "header_digest": hashlib.sha256(header_raw).digest(),
        "header_at": header_at,
        "leaves": leaves,
    }


def is_count(v):
    return isinstance(v, int) and not isinstance(v, bool) and v >= 0


def check_header(h, version):
    def fail(what):
        raise malformed("the header's %s is malformed" % what)

    members = {"checkpoints", "format", "keys", "manifest", "prefix"}
    if version == 2:
        members.add("alarm")
    if set(h.keys()) != members:
        fail("field list")
    if h["format"] != (MAGIC_V2 if version == 2 else MAGIC_V1).decode():
        fail("format")
    if version == 2 and h["alarm"] is not None and not isinstance(h["alarm"], str):
        fail("alarm")
    if not isinstance(h["manifest"], str):
        fail("manifest")
    if not isinstance(h["keys"], list):
        fail("keys")
    for k in h["keys"]:
        if not isinstance(k, dict) or set(k.keys()) != {"rotation", "validFromSize", "vkey"}:
            fail("keys")
        if not isinstance(k["vkey"], str) or not is_count(k["validFromSize"]):
            fail("keys")
        if k["rotation"] is not None and not isinstance(k["rotation"], str):
            fail("keys")
    if not isinstance(h["checkpoints"], list):
        fail("checkpoints")
    for c in h["checkpoints"]:
        if not isinstance(c, dict) or set(c.keys()) != {"consistencyFromPrevious", "note"}:
            fail("checkpoints")
        if not isinstance(c["note"], str) or not isinstance(c["consistencyFromPrevious"], list):
            fail("checkpoints")
        if not all(isinstance(s, str) for s in c["consistencyFromPrevious"]):
            fail("checkpoints")
    p = h["prefix"]
    if not isinstance(p, dict) or set(p.keys()) != {"size", "subtrees"}:
        fail("prefix")
    if not is_count(p["size"]) or not isinstance(p["subtrees"], list):
        fail("prefix")
    if not all(isinstance(s, str) for s in p["subtrees"]):
        fail("prefix")


MANIFEST_BODY = r"\norigin (\S+)\nrecords (0|[1-9][0-9]{0,15}) (0|[1-9][0-9]{0,15})\ncheckpoints (0|[1-9][0-9]{0,15})\ncreated (0|[1-9][0-9]{0,15})\nscope (\S+) (\S+)\n"
MANIFEST_RE = {
    1: re.compile(r"^custodia\.app/audit-bundle/v1" + MANIFEST_BODY + r"$"),
    2: re.compile(r"^custodia\.app/audit-bundle/v2" + MANIFEST_BODY + r"header ([A-Za-z0-9+/]{43}=)\n$"),
}
ROTATION_RE = re.compile(
    r"^custodia\.app/key-rotation/v1\norigin (\S+)\nold (\S+)\nnew (\S+)\nfrom (0|[1-9][0-9]{0,15})\n$"
)


def parse_manifest(text, version):
    m = MANIFEST_RE[version].match(text)
    if m is None:
        signed = re.match(r"^custodia\.app/audit-bundle/v([0-9]+)\n", text)
        if signed is not None and signed.group(1) != str(version):
            raise inconsistent(
                "the signed manifest was signed for format version %s, but the file says version %d: it was relabelled"
                % (signed.group(1), version)
            )
        raise inconsistent("the signed manifest does not have the version %d layout" % version)
    manifest = {
        "origin": m.group(1),
        "first": int(m.group(2)),
        "end": int(m.group(3)),
        "checkpoints": int(m.group(4)),
    }
    if manifest["end"] < manifest["first"]:
        raise inconsistent("the signed manifest's record range is reversed")
    if version == 2:
        manifest["header"] = b64(m.group(8))
    return manifest


def derive_trust(anchors, rotation_notes):
    """{vkey: (Key, from_size, via)} per section 7.2."""
    trusted = {k.vkey: (k, 0, "argument") for k in anchors}
    parsed = []
    for note in rotation_notes:
        try:
            text, _ = parse_note(note)
            m = ROTATION_RE.match(text)
            if m is None:
                raise NoteProblem("not a key rotation statement")
            parsed.append((note, Key(m.group(2)), Key(m.group(3)), int(m.group(4))))
        except (NoteProblem, ValueError) as error:
            raise inconsistent("a key rotation statement is malformed (%s)" % error)
    changed = True
    while changed:
        changed = False
        for note, old, new, from_size in parsed:
            if (old.vkey in trusted) == (new.vkey in trusted):
                continue
            try:
                both = open_note(note, [old]) is not None and open_note(note, [new]) is not None
            except NoteProblem:
                both = False
            if not both:
                raise inconsistent("the rotation from key %s to %s is not signed by both keys" % (old.vkey, new.vkey))
            if old.vkey in trusted:
                trusted[new.vkey] = (new, from_size, "rotation")
            else:
                trusted[old.vkey] = (old, 0, "rotation")
            changed = True
    return trusted


def keys_at(trusted, size):
    return [k for (k, from_size, _) in trusted.values() if from_size <= size]


def leaf_problem(leaf, seq):
    """Why a leaf cannot be record seq (strict look), or None."""
    try:
        value, canonical = strict_json(leaf)
    except (ValueError, UnicodeDecodeError) as error:
        return "it is not valid JSON (%s)" % error
    if not canonical:
        return "it is not RFC 8785 canonical JSON"
    if not isinstance(value, dict) or set(value.keys()) != {"actor", "payload", "seq", "time", "type", "version"}:
        return "it does not have exactly the leaf members"
    if not is_count(value["seq"]) or value["seq"] != seq:
        return "it says it is record %s" % value["seq"]
    return None


def verify(data, trusted_keys, external):
    """Raises a Verdict; notes go into the list it returns alongside."""
    notes = []
    try:
        run(data, trusted_keys, external, notes)
    except Verdict as verdict:
        return verdict, notes
    raise AssertionError("no verdict")


def run(data, trusted_keys, external, notes):
    bundle = parse_file(data)
    header, version, leaves = bundle["header"], bundle["version"], bundle["leaves"]
    if not trusted_keys:
        raise Verdict("unknown", "anything: no trusted key was given (--trusted-key)")
    trusted = derive_trust(trusted_keys, [k["rotation"] for k in header["keys"] if k["rotation"] is not None])
    for k in header["keys"]:
        if k["vkey"] not in trusted:
            notes.append("the bundle lists the key %s; you did not trust it, so it was ignored" % k["vkey"])
    all_keys = [k for (k, _, _) in trusted.values()]

    try:
        text = open_note(header["manifest"], all_keys)
    except NoteProblem as problem:
        raise inconsistent("the bundle's manifest is not a valid signed note: %s" % problem)
    if text is None:
        raise Verdict("unknown", "this bundle: its manifest is not signed by any key you trust")
    manifest = parse_manifest(text, version)
    if version == 2 and manifest["header"] != bundle["header_digest"]:
        raise inconsistent(
            "the header (bytes %d..%d) is not the one the signed manifest names: it was changed" % bundle["header_at"]
        )
    if version == 1:
        notes.append("format version 1: the header (keys, checkpoints, tree prefix) is not covered by a signature")
    if version == 2 and header["alarm"]:
        notes.append("exported while the ledger stood under an alarm: %s" % header["alarm"])
    first, end = manifest["first"], manifest["end"]
    if header["prefix"]["size"] != first:
        raise inconsistent("the tree prefix covers %d records, but the signed manifest starts at %d" % (header["prefix"]["size"], first))
    if len(header["checkpoints"]) != manifest["checkpoints"]:
        raise inconsistent(
            "the signed manifest lists %d checkpoints, but the header holds %d" % (manifest["checkpoints"], len(header["checkpoints"]))
        )

    checkpoints = []
    unknowns = []
    for i, entry in enumerate(header["checkpoints"]):
        label = "checkpoint %d in the bundle" % i
        try:
            text, _ = parse_note(entry["note"])
            origin, size, root = parse_checkpoint(text)
        except NoteProblem as problem:
            raise inconsistent("%s is malformed (%s)" % (label, problem))
        try:
            opened = open_note(entry["note"], keys_at(trusted, size))
        except NoteProblem as problem:
            raise inconsistent("%s (size %d): %s" % (label, size, problem))
        if opened is None:
            unknowns.append("%s (size %d), which no key you trust signed" % (label, size))
        if origin != manifest["origin"]:
            raise inconsistent("%s belongs to the log %s, not %s" % (label, origin, manifest["origin"]))
        proof = [hash32(s, "%s's proof" % label) for s in entry["consistencyFromPrevious"]]
        if i == 0:
            if proof:
                raise inconsistent("%s has a consistency proof but no predecessor" % label)
        else:
            p_size, p_root = checkpoints[-1]
            if not verify_consistency(p_size, size, p_root, root, proof):
                raise inconsistent(
                    "%s (size %d) does not extend checkpoint %d (size %d): the consistency proof fails" % (label, size, i - 1, p_size),
                    p_size if size > p_size else None,
                )
        checkpoints.append((size, root))
    if not checkpoints or checkpoints[-1][0] != end:
        raise inconsistent("the bundle's last checkpoint does not cover its last record %d" % (end - 1), end - 1)

    targets = [(s, r, "checkpoint %d (size %d)" % (i, s)) for i, (s, r) in enumerate(checkpoints) if s >= first]
    for name, note in external:
        label = "your checkpoint %s" % name
        try:
            text = open_note(note, all_keys)
            if text is None:
                raise NoteProblem("no key you trust signed it")
            origin, size, root = parse_checkpoint(text)
        except NoteProblem as problem:
            unknowns.append("%s: %s" % (label, problem))
            continue
        if origin != manifest["origin"]:
            unknowns.append("%s: it is for the log %s" % (label, origin))
        elif size > end:
            unknowns.append("%s (size %d): it is newer than this bundle, which ends at %d records" % (label, size, end))
        elif size >= first:
            targets.append((size, root, "%s (size %d)" % (label, size)))
        else:
            same = [r for (s, r) in checkpoints if s == size]
            if not same:
                unknowns.append("%s (size %d): this bundle has no checkpoint of that size" % (label, size))
            elif same[0] != root:
                raise inconsistent("%s has another root than the bundle's checkpoint of the same size: the log was rewritten" % label)
            else:
                notes.append("%s matches the bundle's checkpoint of size %d" % (label, size))
    targets.sort(key=lambda t: t[0])

    tree = CompactRange(first, [hash32(s, "prefix subtree %d" % i) for i, s in enumerate(header["prefix"]["subtrees"])])
    checked_to = first
    t = 0
    while t < len(targets) and targets[t][0] == first:
        if tree.root() != targets[t][1]:
            raise inconsistent("%s does not match the tree prefix" % targets[t][2], None)
        t += 1
    for i, leaf in enumerate(leaves):
        tree.push(leaf_hash(leaf))
        while t < len(targets) and targets[t][0] == tree.size:
            size, root, label = targets[t]
            if tree.root() != root:
                # Name the first bad record by a strict look since the last checkpoint that matched.
                for seq in range(checked_to, size):
                    problem = leaf_problem(leaves[seq - first], seq)
                    if problem is not None:
                        raise inconsistent("record %d is not as signed: %s" % (seq, problem), seq)
                raise inconsistent("the records up to %s hash to another root" % label, checked_to, size - 1)
            checked_to = size
            t += 1
    if t < len(targets):
        raise inconsistent(
            "%s covers more records than the file holds: records were cut off" % targets[t][2],
            first + len(leaves),
        )
    if len(leaves) != end - first:
        raise inconsistent(
            "the signed manifest lists records %d..%d, but the file holds %d records" % (first, end - 1, len(leaves)),
            first + min(len(leaves), end - first),
        )
    if unknowns:
        raise Verdict("unknown", "; ".join(unknowns))
    raise Verdict(
        "consistent",
        "consistent: all %d records hash to the %d signed checkpoints, every signature verifies and each checkpoint extends the one before"
        % (len(leaves), len(checkpoints)),
    )


EXIT = {"consistent": 0, "inconsistent": 1, "unknown": 3}


def main(argv):
    parser = argparse.ArgumentParser(description="Verify a Custodia audit bundle (docs/audit-bundle.md).")
    parser.add_argument("file", nargs="?")
    parser.add_argument("--trusted-key", action="append", default=[])
    parser.add_argument("--checkpoint", action="append", default=[])
    parser.add_argument("--batch", action="store_true", help="read bundle paths from stdin, one JSON line each")
    try:
        args = parser.parse_args(argv)
    except SystemExit:
        return 2
    if not args.trusted_key:
        print("verify_bundle.py: give the pharmacy's key with --trusted-key", file=sys.stderr)
        return 2
    if (args.file is None) == (not args.batch):
        print("verify_bundle.py: give one FILE, or --batch with paths on stdin", file=sys.stderr)
        return 2
    try:
        keys = [Key(k) for k in args.trusted_key]
    except ValueError as error:
        print("verify_bundle.py: --trusted-key is not a verifier key: %s" % error, file=sys.stderr)
        return 2
    external = []
    for path in args.checkpoint:
        try:
            with open(path, "rb") as f:
                external.append((path.rsplit("/", 1)[-1], f.read().decode("utf-8").replace("\r\n", "\n")))
        except (OSError, UnicodeDecodeError) as error:
            print("verify_bundle.py: cannot read the checkpoint file %s (%s)" % (path, error), file=sys.stderr)
            return 2

    def one(path):
        with open(path, "rb") as f:
            data = f.read()
        return verify(data, keys, external)

    if not args.batch:
        try:
            verdict, notes = one(args.file)
        except OSError as error:
            print("verify_bundle.py: cannot read %s (%s)" % (args.file, error.strerror), file=sys.stderr)
            return 2
        for note in notes:
            print("note: " + note)
        print(verdict.message())
        return EXIT[verdict.status]
    worst = 0
    for line in sys.stdin:
        path = line.rstrip("\n")
        if not path:
            continue
        try:
            verdict, notes = one(path)
            out = {
                "file": path,
                "status": verdict.status,
                "message": verdict.message(),
                "first_bad": verdict.first_bad,
                "last_bad": verdict.last_bad,
                "notes": notes,
            }
        except OSError as error:
            out = {"file": path, "status": "unreadable", "message": str(error), "first_bad": None, "last_bad": None, "notes": []}
        if out["status"] != "consistent":
            worst = 1
        sys.stdout.write(json.dumps(out) + "\n")
    sys.stdout.flush()
    return worst


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
