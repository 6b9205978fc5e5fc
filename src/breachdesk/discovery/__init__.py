"""PII discovery: readers turn leaked files into batches, detectors find data elements in them."""
