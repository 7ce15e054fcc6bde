"""Downloading a data file from a list of mirrors, checking its checksum.

``fetch`` tries each mirror in turn with ``pooch`` (imported here, lazily: the
rest of learntorch never needs it), which shows a progress bar (tqdm) and
verifies the file's hash.  A file only reaches its final place after every
check passed: it is downloaded into a temporary folder next to it, so a failed
or corrupted download leaves nothing behind.

* every mirror unreachable (no network, server down, HTTP error)
  -> ``DownloadError`` listing each mirror and why it failed;
* a file whose checksum does not match -> ``ChecksumError`` (a real problem:
  never hidden behind a fallback).
"""
import gzip
import hashlib
import os
import shutil
import sys
import tempfile

__all__ = ["DownloadError", "ChecksumError", "fetch", "sha256_of_payload"]


class DownloadError(RuntimeError):
    """No mirror could deliver the file (offline, server down, HTTP error, pooch missing)."""

    def __init__(self, message, failures=()):
        super().__init__(message)
        self.failures = list(failures)  # [(url, reason), ...]


class ChecksumError(RuntimeError):
    """A downloaded file's checksum differs from the published one; it was not kept."""


def sha256_of_payload(path):
    """SHA-256 of a file's content after gunzip (of the file itself when it is not gzip)."""
    with open(path, "rb") as f:
        raw = f.read()
    if raw[:2] == b"\x1f\x8b":
        raw = gzip.decompress(raw)
    return hashlib.sha256(raw).hexdigest()


def _short(exc):
    """A one-line reason for a failed download ("no network", "connection refused", "HTTP 404" ...)."""
    text = " ".join(str(exc).split())
    name = type(exc).__name__
    for needle, reason in (("NameResolution", "host name not resolved (no network?)"),
                           ("Name or service not known", "host name not resolved (no network?)"),
                           ("Connection refused", "connection refused (server down?)"),
                           ("timed out", "timed out")):
        if needle in text:
            return f"{name}: {reason}"
    if len(text) > 120:
        text = text[:117] + "..."
    return f"{name}: {text}" if text else name


def fetch(filename, mirrors, known_hash, folder, payload_sha256=None, progressbar=True, timeout=30):
    """Download ``filename`` from the first working mirror into ``folder``; return its path.

    ``known_hash``: "sha256:<hex>" or "md5:<hex>" of the file as served (checked by pooch).
    ``payload_sha256``: optional SHA-256 of the gunzipped content (checked here).
    """
    try:
        import pooch
    except ImportError:
        failures = [(m + filename, "the 'pooch' package is not installed (pip install pooch tqdm)") for m in mirrors]
        raise DownloadError(f"cannot download {filename}: the 'pooch' package is not installed "
                            f"(pip install pooch tqdm)", failures) from None
    if progressbar:
        try:
            import tqdm  # noqa: F401  (pooch's progress bar)
        except ImportError:
            progressbar = False
    os.makedirs(folder, exist_ok=True)
    final = os.path.join(folder, filename)
    failures, bad_checksums = [], []
    logger = pooch.get_logger()
    for mirror in mirrors:
        url = mirror + filename
        tmp = tempfile.mkdtemp(prefix=".download-", dir=folder)
        level = logger.level
        try:
            print(f"Downloading {url} to {final}", file=sys.stderr)
            logger.setLevel("WARNING")  # our own line above replaces pooch's (which names the temp folder)
            downloader = pooch.HTTPDownloader(progressbar=progressbar, timeout=timeout)
            path = pooch.retrieve(url, known_hash, fname=filename, path=tmp, downloader=downloader)
            if payload_sha256 is not None and sha256_of_payload(path) != payload_sha256:
                raise ValueError(f"SHA256 hash of the unpacked content of {filename} does not match the "
                                 f"known hash {payload_sha256}")
            os.replace(path, final)
            return final
        except ValueError as e:  # pooch: "... hash of downloaded file ... does not match the known hash"
            if "hash" not in str(e).lower():
                failures.append((url, _short(e)))
                continue
            bad_checksums.append((url, str(e)))
        except Exception as e:  # requests' ConnectionError, Timeout, HTTPError; OSError ...
            failures.append((url, _short(e)))
        finally:
            logger.setLevel(level)
            shutil.rmtree(tmp, ignore_errors=True)
    if bad_checksums:
        lines = "\n".join(f"  {url}: {reason}" for url, reason in bad_checksums)
        raise ChecksumError(f"checksum mismatch for {filename}: the downloaded file is corrupted or is not the "
                            f"published one, so it was not kept.\n{lines}")
    lines = "\n".join(f"  {url}: {reason}" for url, reason in failures)
    raise DownloadError(f"could not download {filename} from any mirror (offline?):\n{lines}", failures)
