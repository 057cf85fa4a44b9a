"""The file suffixes a submission may have, apart from the reader (which imports far more):
a verb that only tells a file from an assessment id needs no more than these."""

WORKBOOK_SUFFIXES = (".xlsx",)
SUBMISSION_SUFFIXES = (".yaml", ".yml", ".json", *WORKBOOK_SUFFIXES)
