-- 0010: a list may span several sheets («Tổ 1», «Tổ 2»): row numbers are per sheet, so each
-- imported person and each rejected row keeps the sheet it came from (NULL for CSV files,
-- typed-in records and lists imported before this step).

ALTER TABLE persons ADD COLUMN sheet TEXT;
ALTER TABLE request_rows_rejected ADD COLUMN sheet TEXT;
