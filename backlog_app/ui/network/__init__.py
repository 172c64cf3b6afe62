"""Network checks in the UI: the "Record a network check" dialog and the providers' network panel."""
