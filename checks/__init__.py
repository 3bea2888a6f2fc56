"""决算检查 engine: pure Python over plain cell grids. Never imports xlwings."""

__version__ = "0.1.0"
