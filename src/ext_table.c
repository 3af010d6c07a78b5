/*
** ext_table.c — the table of phaen-ext.so (see ext.h): the entry points
** build/phaen calls after loading it.
*/
#include "ext.h"

const phaen_ext phaen_ext_table = {
    .abi = PHAEN_EXT_ABI,
    .render_plan_pdf = render_plan_pdf,
    .render_memo_pdf = render_memo_pdf,
    .render_summary_pdf = render_summary_pdf,
    .render_summary_svg = render_summary_svg,
    .render_diff_pdf = render_diff_pdf,
    .export_xlsx = export_xlsx,
    .export_diff_xlsx = export_diff_xlsx,
    .import_xlsx = import_xlsx,
    .http_serve = http_serve,
    .publish_static = publish_static,
};
