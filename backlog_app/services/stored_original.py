"""One stored original, read through the vault: the only way BackLog reads a document's bytes.

In an encrypted profile the file on disk holds encrypted bytes; ``Vault.open_read`` decrypts them
in memory. A handle holds no bytes itself, so keeping one (a prepared packet keeps one per
document) costs no memory; every read says in plain words what went wrong.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import BinaryIO

from backlog_app.domain.documents import FileType
from backlog_app.errors import UserError
from backlog_app.storage.crypto import FileDamagedError
from backlog_app.storage.vault import Vault

log = logging.getLogger("backlog.documents")


@dataclass(frozen=True, slots=True)
class StoredOriginal:
    """One stored original, read through the vault (decrypted in an encrypted profile).

    Holds no bytes itself: each ``open``/``read_bytes`` reads the file again, so keeping a
    handle (a prepared packet keeps one per document) costs no memory.
    """

    vault: Vault
    sha256: str
    file_type: FileType
    title: str  # for messages

    def open(self) -> BinaryIO:
        """The original bytes as a seekable stream; close it after use.

        Raises:
            UserError: the file is missing from the vault, or cannot be read (damaged).
        """
        try:
            return self.vault.open_read(self.sha256, self.file_type)
        except FileNotFoundError as exc:
            raise missing_file_error(self.title) from exc
        except OSError as exc:
            raise UserError(
                f"BackLog could not read the file of “{self.title}” ({exc.strerror or exc}). "
                "Run Tools → Check documents to see whether it is intact."
            ) from exc
        except FileDamagedError as exc:  # encrypted, and changed or cut short on disk
            log.warning("a stored file does not decrypt")
            raise UserError(
                f"The file of “{self.title}” is damaged and could not be read. "
                "Run Tools → Check documents to see what happened."
            ) from exc

    def read_bytes(self) -> bytes:
        """The original bytes, whole (files are at most the import limit). Raises UserError."""
        with self.open() as handle:
            return handle.read()


def missing_file_error(title: str) -> UserError:
    return UserError(
        f"The file of “{title}” is missing from the vault. "
        "Run Tools → Check documents to see what happened."
    )
