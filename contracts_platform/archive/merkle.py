"""RFC 6962 / RFC 9162 Merkle tree hashing. Pure Python: no Django imports.

Leaves are the raw 32-byte entry hashes of the evidence log, in ``seq`` order::

    leaf hash  = SHA-256(0x00 || leaf_data)
    node hash  = SHA-256(0x01 || left || right)
    empty tree = SHA-256("")

For ``n > 1`` leaves the tree splits at the largest power of two below ``n``
(RFC 6962 §2.1), which is the same as building level by level and carrying an
unpaired last node up unchanged (never duplicating it, unlike Bitcoin).
Inclusion proofs are RFC 6962 audit paths, deepest sibling first, and verify
with the RFC 9162 §2.1.3.2 algorithm, so any CT-compatible verifier can check
them.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence

LEAF_PREFIX = b"\x00"
NODE_PREFIX = b"\x01"


def leaf_hash(data: bytes) -> bytes:
    return hashlib.sha256(LEAF_PREFIX + data).digest()


def node_hash(left: bytes, right: bytes) -> bytes:
    return hashlib.sha256(NODE_PREFIX + left + right).digest()


def _next_level(level: list[bytes]) -> list[bytes]:
    paired = [node_hash(level[i], level[i + 1]) for i in range(0, len(level) - 1, 2)]
    if len(level) % 2:
        paired.append(level[-1])
    return paired


def merkle_root(leaves: Sequence[bytes]) -> bytes:
    """Merkle Tree Hash of the leaf data (not yet leaf-hashed)."""
    if not leaves:
        return hashlib.sha256(b"").digest()
    level = [leaf_hash(d) for d in leaves]
    while len(level) > 1:
        level = _next_level(level)
    return level[0]


def merkle_inclusion_proof(leaves: Sequence[bytes], index: int) -> list[bytes]:
    """Audit path for ``leaves[index]``: sibling node hashes, deepest first."""
    if not 0 <= index < len(leaves):
        raise IndexError(f"leaf index {index} outside a tree of {len(leaves)}")
    level = [leaf_hash(d) for d in leaves]
    proof: list[bytes] = []
    i = index
    while len(level) > 1:
        sibling = i ^ 1
        # The last node of an odd level has no sibling: it moves up unchanged.
        if sibling < len(level):
            proof.append(level[sibling])
        level = _next_level(level)
        i //= 2
    return proof


def merkle_verify_inclusion(*, leaf: bytes, index: int, tree_size: int, proof: Sequence[bytes],
                            root: bytes) -> bool:
    """RFC 9162 §2.1.3.2: does ``proof`` show ``leaf`` (leaf data) at ``index`` under ``root``?"""
    if not 0 <= index < tree_size:
        return False
    fn, sn = index, tree_size - 1
    r = leaf_hash(leaf)
    for p in proof:
        if sn == 0:
            return False
        if fn & 1 or fn == sn:
            r = node_hash(p, r)
            if not fn & 1:
                while not fn & 1 and fn != 0:
                    fn >>= 1
                    sn >>= 1
        else:
            r = node_hash(r, p)
        fn >>= 1
        sn >>= 1
    return sn == 0 and r == root
