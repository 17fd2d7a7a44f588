class LegacyError(Exception):
    """A file that cannot become an article; the message is shown to the operator as is."""
