/*
 * tg_client: a freeDiameter extension that sends the Credit-Control and Accounting requests a
 * Tollgate test asks for, and writes down the answers.
 *
 * Loaded as  LoadExtension = "tg_client.fdx" : "<requests file> <answers file>";
 * The extension follows the requests file (the test appends lines to it); each line is one
 * request, "key=value" words:
 *   ccr tag=T session=S type=I|U|T|E number=N realm=R [user=U] [dest=D] [requested=SECS] [used=SECS]
 *       [action=0..3] [callid=C] [e2e=N] [retransmit=1] [unknown=1]
 *   acr tag=T session=S type=1..4 number=N realm=R [user=U] [callid=C] [fromtag=F] [totag=G]
 *       [method=M] [code=NNN] [calling=A] [dest=D] [time=SECS] [ts=UNIX-SECONDS] [e2e=N] [retransmit=1]
 *   bench tag=T kind=cc|acr calls=N window=W realm=R user=U dest=D [used=SECS] [users=K]
 *       cc: CCR-I then CCR-T per call; acr: ACR START then STOP per call; W calls in flight;
 *       users=K: call n is user U<n mod K>
 * and each answer appends to the answers file one line:
 *   tag=T cmd=272|271 rc=RC gsu=SECS|- fui=ACTION|- validity=SECS|- cost=DIGITS:EXPONENT|-
 * a bench writes   tag=T bench=kind calls=N ok=N failed=N ms=ELAPSED
 */
#include <freeDiameter/extension.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static char requests_path[1024], answers_path[1024];
static FILE *answers;
static pthread_mutex_t answers_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_t reader;
static volatile int stopping;

static struct dict_object *ccr_cmd, *acr_cmd, *cc_app;
static struct dict_object *d_session_id, *d_dest_realm, *d_auth_app, *d_acct_app, *d_cc_type, *d_cc_number,
        *d_service_ctx, *d_sub_id, *d_sub_type, *d_sub_data, *d_rsu, *d_usu, *d_gsu, *d_cc_time, *d_fui, *d_fua,
        *d_validity, *d_result, *d_action, *d_called, *d_calling, *d_user, *d_rec_type, *d_rec_number,
        *d_session_time, *d_event_ts, *d_cost, *d_unit_value, *d_digits, *d_exponent, *d_unknown,
        *d_sip_callid, *d_sip_method, *d_sip_from_tag, *d_sip_to_tag, *d_sip_code;

#define CHECK(x) do { int _r = (x); if (_r) { fd_log_debug("tg_client: %s failed: %d", #x, _r); return _r; } } while (0)

static int avp_by_name(const char *name, struct dict_object **o) {
    return fd_dict_search(fd_g_config->cnf_dict, DICT_AVP, AVP_BY_NAME, name, o, ENOENT);
}

static int define_avp(avp_code_t code, char *name, struct dict_object **o) {
    struct dict_avp_data d = { code, 0, name, AVP_FLAG_VENDOR, 0, AVP_TYPE_OCTETSTRING };
    if (avp_by_name(name, o) == 0) {
        return 0;
    }
    return fd_dict_new(fd_g_config->cnf_dict, DICT_AVP, &d, NULL, o);
}

static int lookups(void) {
    CHECK(fd_dict_search(fd_g_config->cnf_dict, DICT_COMMAND, CMD_BY_NAME, "Credit-Control-Request", &ccr_cmd, ENOENT));
    CHECK(fd_dict_search(fd_g_config->cnf_dict, DICT_COMMAND, CMD_BY_NAME, "Accounting-Request", &acr_cmd, ENOENT));
    CHECK(fd_dict_search(fd_g_config->cnf_dict, DICT_APPLICATION, APPLICATION_BY_NAME,
            "Diameter Credit Control Application", &cc_app, ENOENT));
    CHECK(avp_by_name("Session-Id", &d_session_id));
    CHECK(avp_by_name("Destination-Realm", &d_dest_realm));
    CHECK(avp_by_name("Auth-Application-Id", &d_auth_app));
    CHECK(avp_by_name("Acct-Application-Id", &d_acct_app));
    CHECK(avp_by_name("CC-Request-Type", &d_cc_type));
    CHECK(avp_by_name("CC-Request-Number", &d_cc_number));
    CHECK(avp_by_name("Service-Context-Id", &d_service_ctx));
    CHECK(avp_by_name("Subscription-Id", &d_sub_id));
    CHECK(avp_by_name("Subscription-Id-Type", &d_sub_type));
    CHECK(avp_by_name("Subscription-Id-Data", &d_sub_data));
    CHECK(avp_by_name("Requested-Service-Unit", &d_rsu));
    CHECK(avp_by_name("Used-Service-Unit", &d_usu));
    CHECK(avp_by_name("Granted-Service-Unit", &d_gsu));
    CHECK(avp_by_name("CC-Time", &d_cc_time));
    CHECK(avp_by_name("Final-Unit-Indication", &d_fui));
    CHECK(avp_by_name("Final-Unit-Action", &d_fua));
    CHECK(avp_by_name("Validity-Time", &d_validity));
    CHECK(avp_by_name("Result-Code", &d_result));
    CHECK(avp_by_name("Requested-Action", &d_action));
    CHECK(avp_by_name("Called-Station-Id", &d_called));
    CHECK(avp_by_name("Calling-Station-Id", &d_calling));
    CHECK(avp_by_name("User-Name", &d_user));
    CHECK(avp_by_name("Accounting-Record-Type", &d_rec_type));
    CHECK(avp_by_name("Accounting-Record-Number", &d_rec_number));
    CHECK(avp_by_name("Acct-Session-Time", &d_session_time));
    CHECK(avp_by_name("Event-Timestamp", &d_event_ts));
    CHECK(avp_by_name("Cost-Information", &d_cost));
    CHECK(avp_by_name("Unit-Value", &d_unit_value));
    CHECK(avp_by_name("Value-Digits", &d_digits));
    CHECK(avp_by_name("Exponent", &d_exponent));
    /* Kamailio acc's SIP AVPs (vendor 0), and one no server knows, sent with the M bit */
    CHECK(define_avp(550, "SIP-Callid", &d_sip_callid));
    CHECK(define_avp(551, "SIP-Method", &d_sip_method));
    CHECK(define_avp(553, "SIP-From-Tag", &d_sip_from_tag));
    CHECK(define_avp(554, "SIP-To-Tag", &d_sip_to_tag));
    CHECK(define_avp(564, "SIP-Code", &d_sip_code));
    CHECK(define_avp(77777, "Tollgate-Test-Unknown", &d_unknown));
    return 0;
}

/* one parsed request line */
struct req {
    char kind[8], tag[64], session[256], type[4], realm[128], user[128], dest[128], callid[128], fromtag[64],
            totag[64], method[16], code[8], calling[128];
    long number, requested, used, action, e2e, retransmit, unknown, time, calls, window, ts, users;
    char bench[8];
};

static void word(const char *line, const char *key, char *out, size_t len) {
    char pat[40];
    snprintf(pat, sizeof pat, " %s=", key);
    const char *p = strstr(line, pat);
    out[0] = 0;
    if (!p) {
        return;
    }
    p += strlen(pat);
    size_t n = strcspn(p, " \n");
    if (n >= len) {
        n = len - 1;
    }
    memcpy(out, p, n);
    out[n] = 0;
}

static long number(const char *line, const char *key, long dflt) {
    char v[32];
    word(line, key, v, sizeof v);
    return v[0] ? atol(v) : dflt;
}

static void parse(const char *text, struct req *r) {
    char line[2048];
    snprintf(line, sizeof line, " %s", text);
    memset(r, 0, sizeof *r);
    sscanf(text, "%7s", r->kind);
    word(line, "tag", r->tag, sizeof r->tag);
    word(line, "session", r->session, sizeof r->session);
    word(line, "type", r->type, sizeof r->type);
    word(line, "realm", r->realm, sizeof r->realm);
    word(line, "user", r->user, sizeof r->user);
    word(line, "dest", r->dest, sizeof r->dest);
    word(line, "callid", r->callid, sizeof r->callid);
    word(line, "fromtag", r->fromtag, sizeof r->fromtag);
    word(line, "totag", r->totag, sizeof r->totag);
    word(line, "method", r->method, sizeof r->method);
    word(line, "code", r->code, sizeof r->code);
    word(line, "calling", r->calling, sizeof r->calling);
    word(line, "kind", r->bench, sizeof r->bench);
    r->number = number(line, "number", 0);
    r->requested = number(line, "requested", -1);
    r->used = number(line, "used", -1);
    r->action = number(line, "action", -1);
    r->e2e = number(line, "e2e", -1);
    r->retransmit = number(line, "retransmit", 0);
    r->unknown = number(line, "unknown", 0);
    r->time = number(line, "time", -1);
    r->ts = number(line, "ts", -1);
    r->calls = number(line, "calls", 0);
    r->window = number(line, "window", 1);
    r->users = number(line, "users", 0);
}

static int add_u32(msg_or_avp *parent, struct dict_object *model, uint32_t v) {
    struct avp *a;
    union avp_value val;
    CHECK(fd_msg_avp_new(model, 0, &a));
    val.u32 = v;
    CHECK(fd_msg_avp_setvalue(a, &val));
    return fd_msg_avp_add(parent, MSG_BRW_LAST_CHILD, a);
}

static int add_i32(msg_or_avp *parent, struct dict_object *model, int32_t v) {
    struct avp *a;
    union avp_value val;
    CHECK(fd_msg_avp_new(model, 0, &a));
    val.i32 = v;
    CHECK(fd_msg_avp_setvalue(a, &val));
    return fd_msg_avp_add(parent, MSG_BRW_LAST_CHILD, a);
}

static int add_str(msg_or_avp *parent, struct dict_object *model, const char *s, int flags) {
    struct avp *a;
    union avp_value val;
    if (!s || !*s) {
        return 0;
    }
    CHECK(fd_msg_avp_new(model, 0, &a));
    val.os.data = (uint8_t *) s;
    val.os.len = strlen(s);
    CHECK(fd_msg_avp_setvalue(a, &val));
    if (flags) {
        struct avp_hdr *h;
        CHECK(fd_msg_avp_hdr(a, &h));
        h->avp_flags |= flags;
    }
    return fd_msg_avp_add(parent, MSG_BRW_LAST_CHILD, a);
}

static int add_units(struct msg *m, struct dict_object *group, long seconds) {
    struct avp *g;
    if (seconds < 0) {
        return 0;
    }
    CHECK(fd_msg_avp_new(group, 0, &g));
    CHECK(add_u32(g, d_cc_time, (uint32_t) seconds));
    return fd_msg_avp_add(m, MSG_BRW_LAST_CHILD, g);
}

/* the first child of a grouped AVP (or message) with this code, or NULL */
static struct avp *child(msg_or_avp *parent, avp_code_t code) {
    struct avp *a = NULL;
    struct avp_hdr *h;
    if (fd_msg_browse(parent, MSG_BRW_FIRST_CHILD, &a, NULL)) {
        return NULL;
    }
    while (a) {
        if (fd_msg_avp_hdr(a, &h) == 0 && h->avp_code == code && h->avp_vendor == 0) {
            return a;
        }
        if (fd_msg_browse(a, MSG_BRW_NEXT, &a, NULL)) {
            return NULL;
        }
    }
    return NULL;
}

static int u32_of(struct avp *a, long *out) {
    struct avp_hdr *h;
    if (!a || fd_msg_avp_hdr(a, &h) || !h->avp_value) {
        return -1;
    }
    *out = h->avp_value->u32;
    return 0;
}

static void write_line(const char *line) {
    pthread_mutex_lock(&answers_lock);
    fputs(line, answers);
    fflush(answers);
    pthread_mutex_unlock(&answers_lock);
}

struct sent {
    char tag[64];
    int cmd;
};

static void describe(struct msg *ans, const char *tag, int cmd, char *line, size_t len) {
    long rc = -1, gsu = -1, fui = -1, validity = -1, digits = -1, exponent = 0;
    u32_of(child(ans, 268), &rc);
    struct avp *g = child(ans, 431);
    if (g) {
        u32_of(child(g, 420), &gsu);
    }
    struct avp *f = child(ans, 430);
    if (f) {
        u32_of(child(f, 449), &fui);
    }
    u32_of(child(ans, 448), &validity);
    struct avp *cost = child(ans, 423);
    if (cost) {
        struct avp *uv = child(cost, 445);
        struct avp_hdr *h;
        if (uv) {
            struct avp *d = child(uv, 447), *e = child(uv, 429);
            if (d && fd_msg_avp_hdr(d, &h) == 0 && h->avp_value) {
                digits = (long) h->avp_value->i64;
            }
            if (e && fd_msg_avp_hdr(e, &h) == 0 && h->avp_value) {
                exponent = h->avp_value->i32;
            }
        }
    }
    char gs[24] = "-", fs[24] = "-", vs[24] = "-", cs[48] = "-";
    if (gsu >= 0) snprintf(gs, sizeof gs, "%ld", gsu);
    if (fui >= 0) snprintf(fs, sizeof fs, "%ld", fui);
    if (validity >= 0) snprintf(vs, sizeof vs, "%ld", validity);
    if (digits >= 0) snprintf(cs, sizeof cs, "%ld:%ld", digits, exponent);
    snprintf(line, len, "tag=%s cmd=%d rc=%ld gsu=%s fui=%s validity=%s cost=%s\n", tag, cmd, rc, gs, fs, vs, cs);
}

static void on_answer(void *data, struct msg **ans) {
    struct sent *s = data;
    char line[512];
    describe(*ans, s->tag, s->cmd, line, sizeof line);
    write_line(line);
    fd_msg_free(*ans);
    *ans = NULL;
    free(s);
}

static int build(const struct req *r, struct msg **out) {
    struct msg *m;
    int cc = r->kind[0] == 'c';
    CHECK(fd_msg_new(cc ? ccr_cmd : acr_cmd, MSGFL_ALLOC_ETEID, &m));
    CHECK(add_str(m, d_session_id, r->session, 0));
    CHECK(fd_msg_add_origin(m, 0));
    CHECK(add_str(m, d_dest_realm, r->realm, 0));
    struct msg_hdr *hdr;
    CHECK(fd_msg_hdr(m, &hdr));
    if (cc) {
        hdr->msg_appl = 4;
        CHECK(add_u32(m, d_auth_app, 4));
        CHECK(add_str(m, d_service_ctx, "voice@tollgate.test", 0));
        int type = r->type[0] == 'I' ? 1 : r->type[0] == 'U' ? 2 : r->type[0] == 'T' ? 3 : 4;
        CHECK(add_i32(m, d_cc_type, type));
        CHECK(add_u32(m, d_cc_number, (uint32_t) r->number));
        if (r->user[0]) {
            struct avp *sub;
            CHECK(fd_msg_avp_new(d_sub_id, 0, &sub));
            CHECK(add_i32(sub, d_sub_type, 2)); /* END_USER_SIP_URI */
            CHECK(add_str(sub, d_sub_data, r->user, 0));
            CHECK(fd_msg_avp_add(m, MSG_BRW_LAST_CHILD, sub));
        }
        if (r->action >= 0) {
            CHECK(add_i32(m, d_action, (int32_t) r->action));
        }
        CHECK(add_str(m, d_called, r->dest, 0));
        CHECK(add_units(m, d_rsu, r->requested));
        CHECK(add_units(m, d_usu, r->used));
        CHECK(add_str(m, d_sip_callid, r->callid, AVP_FLAG_MANDATORY));
    } else {
        hdr->msg_appl = 3;
        CHECK(add_i32(m, d_rec_type, (int32_t) atol(r->type)));
        CHECK(add_u32(m, d_rec_number, (uint32_t) r->number));
        CHECK(add_u32(m, d_acct_app, 3));
        CHECK(add_str(m, d_user, r->user, 0));
        CHECK(add_str(m, d_calling, r->calling, 0));
        CHECK(add_str(m, d_called, r->dest, 0));
        if (r->time >= 0) {
            CHECK(add_u32(m, d_session_time, (uint32_t) r->time));
        }
        if (r->ts >= 0) { /* Time: seconds since 1900, 4 octets */
            uint32_t ntp = (uint32_t) (r->ts + 2208988800L);
            static __thread uint8_t b[4];
            struct avp *a;
            union avp_value val;
            b[0] = ntp >> 24; b[1] = ntp >> 16; b[2] = ntp >> 8; b[3] = ntp;
            CHECK(fd_msg_avp_new(d_event_ts, 0, &a));
            val.os.data = b;
            val.os.len = 4;
            CHECK(fd_msg_avp_setvalue(a, &val));
            CHECK(fd_msg_avp_add(m, MSG_BRW_LAST_CHILD, a));
        }
        CHECK(add_str(m, d_sip_callid, r->callid, AVP_FLAG_MANDATORY));
        CHECK(add_str(m, d_sip_method, r->method, AVP_FLAG_MANDATORY));
        CHECK(add_str(m, d_sip_from_tag, r->fromtag, AVP_FLAG_MANDATORY));
        CHECK(add_str(m, d_sip_to_tag, r->totag, AVP_FLAG_MANDATORY));
        CHECK(add_str(m, d_sip_code, r->code, AVP_FLAG_MANDATORY));
    }
    if (r->unknown) {
        CHECK(add_str(m, d_unknown, "x", AVP_FLAG_MANDATORY));
    }
    if (r->e2e >= 0) {
        hdr->msg_eteid = (uint32_t) r->e2e;
    }
    if (r->retransmit) {
        hdr->msg_flags |= CMD_FLAG_RETRANSMIT;
    }
    *out = m;
    return 0;
}

static int send_one(const struct req *r) {
    struct msg *m;
    CHECK(build(r, &m));
    struct sent *s = calloc(1, sizeof *s);
    snprintf(s->tag, sizeof s->tag, "%s", r->tag);
    s->cmd = r->kind[0] == 'c' ? 272 : 271;
    return fd_msg_send(&m, on_answer, s);
}

/* ---- bench: calls of two requests each, a window of calls in flight ---- */
struct bench {
    struct req base;
    long next, done, ok, failed, total;
    pthread_mutex_t lock;
    pthread_cond_t finished;
};

struct leg {
    struct bench *b;
    long call;
    int second;
};

static void bench_send(struct bench *b, long call, int second);

static void on_bench_answer(void *data, struct msg **ans) {
    struct leg *l = data;
    struct bench *b = l->b;
    long rc = -1;
    u32_of(child(*ans, 268), &rc);
    fd_msg_free(*ans);
    *ans = NULL;
    if (!l->second) {
        if (rc == 2001) {
            bench_send(b, l->call, 1);
            free(l);
            return;
        }
    }
    pthread_mutex_lock(&b->lock);
    if (rc == 2001) b->ok++; else b->failed++;
    b->done++;
    long call = b->next < b->total ? b->next++ : -1;
    if (b->done == b->total) pthread_cond_signal(&b->finished);
    pthread_mutex_unlock(&b->lock);
    if (call >= 0) bench_send(b, call, 0);
    free(l);
}

static void bench_send(struct bench *b, long call, int second) {
    struct req r = b->base;
    struct msg *m;
    snprintf(r.session, sizeof r.session, "%s;%ld", b->base.tag, call);
    if (b->base.users > 0) {
        snprintf(r.user, sizeof r.user, "%.100s%ld", b->base.user, call % b->base.users);
    }
    if (b->base.bench[0] == 'c') {
        strcpy(r.kind, "ccr");
        strcpy(r.type, second ? "T" : "I");
        r.number = second ? 1 : 0;
        r.requested = second ? -1 : 0;
        r.used = second ? b->base.used : -1;
    } else {
        strcpy(r.kind, "acr");
        strcpy(r.type, second ? "4" : "2");
        r.number = second ? 1 : 0;
        snprintf(r.callid, sizeof r.callid, "%s-%ld", b->base.tag, call);
        strcpy(r.fromtag, "f");
        strcpy(r.totag, "t");
        strcpy(r.method, second ? "BYE" : "INVITE");
        strcpy(r.code, "200");
        r.time = second ? b->base.used : -1;
    }
    struct leg *l = calloc(1, sizeof *l);
    l->b = b;
    l->call = call;
    l->second = second;
    if (build(&r, &m) || fd_msg_send(&m, on_bench_answer, l)) {
        struct msg *none = NULL;
        (void) none;
        pthread_mutex_lock(&b->lock);
        b->failed++;
        b->done++;
        if (b->done == b->total) pthread_cond_signal(&b->finished);
        pthread_mutex_unlock(&b->lock);
        free(l);
    }
}

static void run_bench(const struct req *r) {
    struct bench *b = calloc(1, sizeof *b);
    struct timespec t0, t1;
    char line[256];
    b->base = *r;
    b->total = r->calls;
    pthread_mutex_init(&b->lock, NULL);
    pthread_cond_init(&b->finished, NULL);
    clock_gettime(CLOCK_MONOTONIC, &t0);
    long first = r->window < r->calls ? r->window : r->calls;
    b->next = first;
    for (long i = 0; i < first; i++) {
        bench_send(b, i, 0);
    }
    pthread_mutex_lock(&b->lock);
    while (b->done < b->total) {
        pthread_cond_wait(&b->finished, &b->lock);
    }
    pthread_mutex_unlock(&b->lock);
    clock_gettime(CLOCK_MONOTONIC, &t1);
    long ms = (t1.tv_sec - t0.tv_sec) * 1000 + (t1.tv_nsec - t0.tv_nsec) / 1000000;
    snprintf(line, sizeof line, "tag=%s bench=%s calls=%ld ok=%ld failed=%ld ms=%ld\n", r->tag, r->bench, b->total,
            b->ok, b->failed, ms);
    write_line(line);
}

static void *follow(void *unused) {
    FILE *in = NULL;
    char line[2048];
    (void) unused;
    while (!stopping) {
        if (!in && !(in = fopen(requests_path, "r"))) {
            usleep(20000);
            continue;
        }
        long at = ftell(in);
        if (!fgets(line, sizeof line, in)) {
            clearerr(in);
            usleep(20000);
            continue;
        }
        if (line[strlen(line) - 1] != '\n') { /* a line still being written */
            fseek(in, at, SEEK_SET);
            usleep(20000);
            continue;
        }
        struct req r;
        parse(line, &r);
        if (!strcmp(r.kind, "bench")) {
            run_bench(&r);
        } else if (!strcmp(r.kind, "ccr") || !strcmp(r.kind, "acr")) {
            if (send_one(&r)) {
                char out[256];
                snprintf(out, sizeof out, "tag=%s cmd=0 rc=-1 gsu=- fui=- validity=- cost=-\n", r.tag);
                write_line(out);
            }
        }
    }
    if (in) fclose(in);
    return NULL;
}

static int tg_entry(char *conffile) {
    if (!conffile || sscanf(conffile, "%1023s %1023s", requests_path, answers_path) != 2) {
        fd_log_debug("tg_client: configuration must be \"<requests file> <answers file>\"");
        return EINVAL;
    }
    CHECK(lookups());
    CHECK(fd_disp_app_support(cc_app, NULL, 1, 0));
    answers = fopen(answers_path, "a");
    if (!answers) {
        return errno;
    }
    return pthread_create(&reader, NULL, follow, NULL);
}

void fd_ext_fini(void) {
    stopping = 1;
    pthread_join(reader, NULL);
    if (answers) fclose(answers);
}

EXTENSION_ENTRY("tg_client", tg_entry, "dict_dcca");
