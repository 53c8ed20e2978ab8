"""Framework-free news pipeline.

Every module here is a plain function of its inputs plus explicit state; nothing in this
package may import Django (a test enforces it), so stages can be replayed, benchmarked and
evaluated outside the web application.
"""
