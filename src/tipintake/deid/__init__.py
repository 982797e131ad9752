"""deid layer."""
