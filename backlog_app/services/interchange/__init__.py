"""``backlog data export/import``: every record in one versioned, documented JSON file."""

from backlog_app.services.interchange.codec import (
    FORMAT_NAME,
    FORMAT_VERSION,
    export_data,
    import_data,
    read_data_file,
    write_data_file,
)

__all__ = [
    "FORMAT_NAME",
    "FORMAT_VERSION",
    "export_data",
    "import_data",
    "read_data_file",
    "write_data_file",
]
