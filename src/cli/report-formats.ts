// The formats of `sprout sessions show ID --format`, known to the command line before the report code loads.
export const REPORT_FORMATS = ['md', 'html', 'json'] as const;
export type ReportFormat = (typeof REPORT_FORMATS)[number];
