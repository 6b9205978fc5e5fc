"""Readers: one module per input format, bytes in, ``TableBatch | TextChunk | Skipped`` out."""
