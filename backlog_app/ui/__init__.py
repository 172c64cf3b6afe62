"""The Qt user interface: widgets and Qt models over the services. No business rules live here."""
