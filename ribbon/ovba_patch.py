"""Fixes applied to ms-ovba 0.0.1 / ms-ovba-compression 1.0.1 / ms-ovba-crypto while a project is written.

Two problems, both scoped to a ``with`` block so the libraries are left untouched afterwards:

* ``MsOvba.copytoken_help`` computes ``maxLength`` as ``0xFFFF << bitCount + 3`` (operator precedence).
  MS-OVBA 2.4.1.3.19.1 says ``(0xFFFF >> bitCount) + 3``. With the bug, long matches overflow the
  CopyToken's length bits and the module text decompresses to garbage after the first kilobyte.
* The library's longest-match search is a pure-Python O(n²) scan per 4 kB chunk (about 4 s for
  the 47 kB xlwings module). ``fast_matching`` finds the same match with ``bytes.rfind``.
* ``MsOvbaCrypto.encrypt`` (CMG/DPB/GC in the PROJECT stream) draws from the global ``random``
  module, so two builds differ. A seeded private generator makes the output reproducible; the
  values only obfuscate the protection state and carry no secret.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from contextlib import contextmanager

from ms_ovba_compression.ms_ovba import MsOvba

# The library's own helper, kept to restore it and to show that the bug matters.
ORIGINAL_COPYTOKEN_HELP = MsOvba.__dict__["copytoken_help"]


def fixed_copytoken_help(difference: int) -> dict:
    """``copytoken_help`` with the maximum match length from MS-OVBA 2.4.1.3.19.1."""
    help_ = ORIGINAL_COPYTOKEN_HELP.__func__(difference)
    help_["maxLength"] = (0xFFFF >> help_["bitCount"]) + 3
    return help_


def fast_matching(self: MsOvba) -> tuple[int, int]:
    """``MsOvba._matching`` with the same result: the nearest of the longest matches (≥ 3 bytes)."""
    chunk = self._activeChunk
    position = len(chunk) - len(self._uncompressedData)
    best_length, best_candidate = 0, -1
    length = 3
    while position + length <= len(chunk):
        # Nearest earlier start whose match is at least `length` long (it may overlap `position`).
        candidate = chunk.rfind(chunk[position:position + length], 0, position + length - 1)
        if candidate < 0:
            break
        while position + length < len(chunk) and chunk[candidate + length] == chunk[position + length]:
            length += 1
        best_length, best_candidate = length, candidate
        length += 1
    if best_length < 3:
        return 0, 0
    maximum = MsOvba.copytoken_help(position)["maxLength"]
    return position - best_candidate, min(maximum, best_length)


@contextmanager
def fixed_compression(fast: bool = True) -> Iterator[None]:
    """Use the corrected CopyToken length limit (and the fast match search) inside the block."""
    saved_help = MsOvba.__dict__["copytoken_help"]
    saved_matching = MsOvba.__dict__["_matching"]
    MsOvba.copytoken_help = staticmethod(fixed_copytoken_help)
    if fast:
        MsOvba._matching = fast_matching
    try:
        yield
    finally:
        MsOvba.copytoken_help = saved_help
        MsOvba._matching = saved_matching


@contextmanager
def seeded_crypto(seed: int) -> Iterator[None]:
    """Make ms-ovba-crypto's obfuscation bytes depend on ``seed`` only."""
    from ms_ovba_crypto import ms_ovba_crypto as crypto_module

    saved = crypto_module.random
    crypto_module.random = random.Random(seed)
    try:
        yield
    finally:
        crypto_module.random = saved


def compress(data: bytes, *, fixed: bool = True, fast: bool = True) -> bytes:
    """MS-OVBA compression of ``data``; ``fixed=False`` runs the unpatched library."""
    if not fixed:
        return MsOvba().compress(data)
    with fixed_compression(fast=fast):
        return MsOvba().compress(data)
