/* What a PAXLST message does to what its sender reported before: the scope
 * (passenger list, crew list) and the action (full list, change, cancel,
 * notice) read from its BGM segment, as a table.
 *
 * Codes, from the WCO/IATA/ICAO PAXLST implementation guide and the US CBP
 * APIS guide (BGM C002 1001 document name, C106 1004 document identifier)
 * and the UN/EDIFACT code list 1225 (message function):
 *
 *   745   passenger list          CP change passenger data, XR cancel
 *                                 reservation, RP reduction in party
 *   250   crew list               C, CC, B, BC, A, D, E, EC, F, FC: kinds of
 *                                 crew list (regular crew, crew change,
 *                                 cargo, overflight, domestic continuance),
 *                                 each a full list of the flight's crew
 *   266   flight status update    CLOB close-out with the persons on board,
 *                                 CLNB close-out with persons not on board,
 *                                 CL close-out, CF change flight, XF cancel
 *                                 flight
 *   336   master crew list        G add, H delete, I change
 *   655   gate pass request       persons who go to the gate, not on board
 *
 *   1225  1 cancellation, 3 deletion: cancel; 2 addition, 4 change: change;
 *         5 replace, 9 original (and none): as the document says.
 *
 * An unknown identifier does not change the document's action: senders put
 * their own letters there (a passenger list marked "C" is still a list). */
#include "kouan/prearrival.h"

#include <string.h>

typedef struct bgm_rule {
    const char *document;   /* NULL: any */
    const char *identifier; /* NULL: any */
    int scope;              /* kouan_pre_scope, or -1: from the persons */
    kouan_pre_action action;
} bgm_rule;

/* First match wins; the last rule catches everything. */
static const bgm_rule rules[] = {
    {"745", "CP", KOUAN_PRE_SCOPE_PASSENGERS, KOUAN_PRE_ACT_CHANGE},
    {"745", "XR", KOUAN_PRE_SCOPE_PASSENGERS, KOUAN_PRE_ACT_CANCEL},
    {"745", "RP", KOUAN_PRE_SCOPE_PASSENGERS, KOUAN_PRE_ACT_CANCEL},
    {"745", NULL, KOUAN_PRE_SCOPE_PASSENGERS, KOUAN_PRE_ACT_LIST},
    {"250", NULL, KOUAN_PRE_SCOPE_CREW, KOUAN_PRE_ACT_LIST},
    {"266", "CLOB", -1, KOUAN_PRE_ACT_LIST},
    {"266", "CLNB", -1, KOUAN_PRE_ACT_CANCEL},
    {"266", "XF", -1, KOUAN_PRE_ACT_CANCEL},
    {"266", NULL, -1, KOUAN_PRE_ACT_NOTICE},
    {"336", "G", KOUAN_PRE_SCOPE_CREW, KOUAN_PRE_ACT_CHANGE},
    {"336", "I", KOUAN_PRE_SCOPE_CREW, KOUAN_PRE_ACT_CHANGE},
    {"336", "H", KOUAN_PRE_SCOPE_CREW, KOUAN_PRE_ACT_CANCEL},
    {"336", NULL, KOUAN_PRE_SCOPE_CREW, KOUAN_PRE_ACT_CHANGE},
    {"655", NULL, KOUAN_PRE_SCOPE_PASSENGERS, KOUAN_PRE_ACT_NOTICE},
    {NULL, NULL, -1, KOUAN_PRE_ACT_LIST},
};

typedef struct function_rule {
    const char *code;
    int action; /* kouan_pre_action, or -1: the document's */
} function_rule;

static const function_rule functions[] = {
    {"1", KOUAN_PRE_ACT_CANCEL}, {"3", KOUAN_PRE_ACT_CANCEL}, {"2", KOUAN_PRE_ACT_CHANGE},
    {"4", KOUAN_PRE_ACT_CHANGE}, {"5", -1},                   {"9", -1},
};

static int is(const char *a, const char *b)
{
    return a && b && !strcmp(a, b);
}

void kouan_pre_classify(const char *document, const char *identifier, const char *function,
                        int all_crew, kouan_pre_scope *scope, kouan_pre_action *action)
{
    size_t i = 0;
    for (; rules[i].document; i++)
        if (is(rules[i].document, document) &&
            (!rules[i].identifier || is(rules[i].identifier, identifier)))
            break;
    const bgm_rule *r = &rules[i];
    *scope = r->scope >= 0 ? (kouan_pre_scope)r->scope
             : all_crew    ? KOUAN_PRE_SCOPE_CREW
                           : KOUAN_PRE_SCOPE_PASSENGERS;
    *action = r->action;
    /* a notice stays a notice: its 1225 describes the status message */
    if (r->action == KOUAN_PRE_ACT_NOTICE)
        return;
    for (size_t k = 0; k < sizeof functions / sizeof functions[0]; k++)
        if (is(functions[k].code, function)) {
            if (functions[k].action >= 0)
                *action = (kouan_pre_action)functions[k].action;
            break;
        }
}

const char *kouan_pre_action_name(kouan_pre_action a)
{
    static const char *const names[] = {"list", "change", "cancel", "notice", "records"};
    return (unsigned)a < sizeof names / sizeof names[0] ? names[a] : "list";
}

const char *kouan_pre_scope_name(kouan_pre_scope s)
{
    static const char *const names[] = {"passengers", "crew", "pnr"};
    return (unsigned)s < sizeof names / sizeof names[0] ? names[s] : "passengers";
}
