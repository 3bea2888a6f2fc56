"""Generator of consistent 部门决算公开 workbooks (2018 8-table and 2020+ 9-table formats) and fault injection."""
