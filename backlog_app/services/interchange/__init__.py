"""``backlog data export/import``: every record in one versioned, documented JSON file.

The documents' files travel beside it (``NAME.files/``) or with it in one ``.zip``.
"""

from backlog_app.services.interchange.codec import (
    FORMAT_NAME,
    FORMAT_VERSION,
    ExportResult,
    export_data,
    export_to_file,
    import_data,
    read_data_file,
    write_data_file,
)
from backlog_app.services.interchange.files import (
    FileSource,
    FolderFiles,
    VaultFiles,
    ZipFiles,
    data_files_for,
)

__all__ = [
    "FORMAT_NAME",
    "FORMAT_VERSION",
    "ExportResult",
    "FileSource",
    "FolderFiles",
    "VaultFiles",
    "ZipFiles",
    "data_files_for",
    "export_data",
    "export_to_file",
    "import_data",
    "read_data_file",
    "write_data_file",
]
