/*
** embed.c — the files of data/reference/ as read-only data in the binary,
** pulled in with the assembler's .incbin (gcc and clang, ELF targets).
** The Makefile makes this object depend on those files.
*/
#include "embed.h"

#include <string.h>

#define EMBED(sym, path)                                                             \
    __asm__(".section .rodata\n"                                                     \
            ".global " #sym "\n"                                                     \
            ".type " #sym ", @object\n"                                              \
            ".balign 16\n" #sym ":\n"                                                \
            ".incbin \"" path "\"\n"                                                 \
            ".byte 0\n"                                                              \
            ".previous\n");                                                          \
    extern const char sym[]

EMBED(embed_lists, "data/reference/lists.csv");
EMBED(embed_national, "data/reference/national_strategies.csv");
EMBED(embed_master, "data/reference/master_plans.csv");
EMBED(embed_subplan, "data/reference/subplan_targets.csv");
EMBED(embed_plan13, "data/reference/plan13_milestones.csv");
EMBED(embed_security, "data/reference/security_policies.csv");
EMBED(embed_issues, "data/reference/strategic_issues.csv");
EMBED(embed_units, "data/reference/units.csv");
EMBED(embed_disburse, "data/reference/disbursement_targets.csv");
EMBED(embed_memo_template, "data/templates/memo.txt");
EMBED(embed_style_css, "data/web/style.css");
EMBED(embed_app_js, "data/web/app.js");

static const embedded_file files[] = {
    {"lists.csv", embed_lists},
    {"national_strategies.csv", embed_national},
    {"master_plans.csv", embed_master},
    {"subplan_targets.csv", embed_subplan},
    {"plan13_milestones.csv", embed_plan13},
    {"security_policies.csv", embed_security},
    {"strategic_issues.csv", embed_issues},
    {"units.csv", embed_units},
    {"disbursement_targets.csv", embed_disburse},
    {"templates/memo.txt", embed_memo_template},
    {"style.css", embed_style_css},
    {"app.js", embed_app_js},
};

const embedded_file *embed_find(const char *name)
{
    for (size_t i = 0; i < sizeof files / sizeof files[0]; i++)
        if (strcmp(files[i].name, name) == 0)
            return &files[i];
    return NULL;
}
