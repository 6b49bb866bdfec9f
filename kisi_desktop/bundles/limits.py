"""Every size, count and ratio limit applied to files that come from outside.

One place, so that the format document, the readers and the hostile-input tests agree
(SECURITY.md, "Ministry verification order"). The limits are far above what a real
municipality produces (a three-year demo vault's bundle is well under 1 MiB) and far below
what would let a crafted file exhaust a laptop.
"""

from __future__ import annotations

KIB = 1024
MIB = 1024 * KIB

MAX_BUNDLE_FILE = 64 * MIB  # encrypted bundle, checked before reading (step 1)
MAX_PLAINTEXT = 256 * MIB  # decrypted ZIP (step 2)
MAX_AGE_HEADER = 8 * KIB
MAX_AGE_STANZAS = 16

MAX_ZIP_ENTRIES = 64  # step 3
MAX_ZIP_ENTRY = 64 * MIB  # one member, inflated
MAX_ZIP_TOTAL = 256 * MIB  # all members, inflated
MAX_ZIP_RATIO = 100  # inflated : compressed, per member
MAX_ZIP_NAME = 128

MAX_MANIFEST = 1 * MIB  # step 4
MAX_SIGNATURE = 4 * KIB
MAX_JSON_DEPTH = 32  # step 5
MAX_JSON_INT = 2**63 - 1  # magnitude; larger integers are refused, not truncated
MAX_JSONL_LINE = 64 * KIB  # step 8

MAX_RECEIPT_FILE = 64 * KIB
MAX_PROVISIONING_FILE = 256 * KIB
MAX_CONTENT_PACK_FILE = 32 * MIB
MAX_CONTENT_TEXT = 256 * KIB  # one handout text inside a pack
MAX_CONTENT_PACK_ENTRIES = 4096  # texts and topic.toml files in one pack (200 topics x 20)
MAX_CONTENT_PACK_TOTAL = 64 * MIB  # all members of a pack, inflated

MAX_UPLOAD_BODY = MAX_BUNDLE_FILE  # the intake server refuses larger bodies unread
FAST_FORWARD_LIMIT = 10**6  # content-pack versions further ahead are refused
