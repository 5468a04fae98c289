"""Pure RFC 6962 Merkle functions against a reference implementation and CT test vectors."""

from __future__ import annotations

import hashlib

import pytest

from contracts_platform.archive.merkle import (
    leaf_hash,
    merkle_inclusion_proof,
    merkle_root,
    merkle_verify_inclusion,
    node_hash,
)

# Certificate Transparency reference data (RFC 6962 test vectors used by CT implementations).
CT_LEAVES = [bytes.fromhex(h) for h in ("", "00", "10", "2021", "3031", "40414243", "5051525354555657",
                                        "606162636465666768696a6b6c6d6e6f")]
CT_ROOTS = [
    "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
    "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
    "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
    "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
    "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
    "4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
    "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
    "ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
    "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328",
]
CT_PROOFS = {
    0: ["96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
        "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
        "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4"],
    5: ["bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
        "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
        "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7"],
}


def reference_mth(leaves: list[bytes]) -> bytes:
    """RFC 6962 §2.1 read literally: split at the largest power of two smaller than n."""
    n = len(leaves)
    if n == 0:
        return hashlib.sha256(b"").digest()
    if n == 1:
        return hashlib.sha256(b"\x00" + leaves[0]).digest()
    k = 1
    while k * 2 < n:
        k *= 2
    return hashlib.sha256(b"\x01" + reference_mth(leaves[:k]) + reference_mth(leaves[k:])).digest()


def reference_path(m: int, leaves: list[bytes]) -> list[bytes]:
    """RFC 6962 §2.1.1 PATH(m, D[n])."""
    n = len(leaves)
    if n == 1:
        return []
    k = 1
    while k * 2 < n:
        k *= 2
    if m < k:
        return [*reference_path(m, leaves[:k]), reference_mth(leaves[k:])]
    return [*reference_path(m - k, leaves[k:]), reference_mth(leaves[:k])]


def entry_hashes(n: int) -> list[bytes]:
    return [hashlib.sha256(f"entry {i}".encode()).digest() for i in range(n)]


class TestMerkleRoot:
    def test_ct_vectors(self) -> None:
        for n in range(len(CT_LEAVES) + 1):
            assert merkle_root(CT_LEAVES[:n]).hex() == CT_ROOTS[n], n

    @pytest.mark.parametrize("n", range(1, 18))
    def test_matches_reference_for_1_to_17_leaves(self, n: int) -> None:
        leaves = entry_hashes(n)
        assert merkle_root(leaves) == reference_mth(leaves)

    def test_odd_node_is_promoted_not_duplicated(self) -> None:
        a, b, c = entry_hashes(3)
        assert merkle_root([a, b, c]) == node_hash(node_hash(leaf_hash(a), leaf_hash(b)), leaf_hash(c))
        assert merkle_root([a, b, c]) != merkle_root([a, b, c, c])


class TestInclusionProofs:
    def test_ct_vectors(self) -> None:
        for index, expected in CT_PROOFS.items():
            assert [p.hex() for p in merkle_inclusion_proof(CT_LEAVES, index)] == expected

    @pytest.mark.parametrize("n", range(1, 18))
    def test_every_index_verifies(self, n: int) -> None:
        leaves = entry_hashes(n)
        root = merkle_root(leaves)
        for i, leaf in enumerate(leaves):
            proof = merkle_inclusion_proof(leaves, i)
            assert proof == reference_path(i, leaves)
            assert merkle_verify_inclusion(leaf=leaf, index=i, tree_size=n, proof=proof, root=root)

    @pytest.mark.parametrize("n", range(2, 18))
    def test_wrong_leaf_index_or_proof_fails(self, n: int) -> None:
        leaves = entry_hashes(n)
        root = merkle_root(leaves)
        forged = hashlib.sha256(b"forged").digest()
        for i, leaf in enumerate(leaves):
            proof = merkle_inclusion_proof(leaves, i)
            assert not merkle_verify_inclusion(leaf=forged, index=i, tree_size=n, proof=proof, root=root)
            assert not merkle_verify_inclusion(leaf=leaf, index=(i + 1) % n, tree_size=n, proof=proof,
                                               root=root)
            assert not merkle_verify_inclusion(leaf=leaf, index=i, tree_size=n, proof=proof[:-1], root=root)
            assert not merkle_verify_inclusion(leaf=leaf, index=i, tree_size=n, proof=[*proof, forged],
                                               root=root)

    # A wrong tree_size is not always detectable from the path alone (index 0 has the same
    # path shape in trees of 3 and 4); the size is bound by storing it with the root.

    def test_single_leaf_tree(self) -> None:
        leaf, = entry_hashes(1)
        assert merkle_inclusion_proof([leaf], 0) == []
        assert merkle_verify_inclusion(leaf=leaf, index=0, tree_size=1, proof=[], root=leaf_hash(leaf))

    def test_index_out_of_range(self) -> None:
        with pytest.raises(IndexError):
            merkle_inclusion_proof(entry_hashes(3), 3)
        assert not merkle_verify_inclusion(leaf=b"", index=3, tree_size=3, proof=[], root=b"")
