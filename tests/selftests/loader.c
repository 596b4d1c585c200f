// SPDX-License-Identifier: MIT OR Apache-2.0
/*
 * The kernel's answers to one BPF object of the kernel's verifier selftests
 * (tools/testing/selftests/bpf/progs/verifier_*.c), through libbpf.
 *
 *   loader [-b BTFDIR] [-n OBJNAME] OBJ.o ANSWERS.json LOGS.json
 *
 * For every program of OBJ (libbpf's programs: entry points, not subprograms), in two
 * modes, privileged (root) and unprivileged-like (CAP_SYS_ADMIN and CAP_PERFMON dropped
 * from the effective set, CAP_BPF kept), it loads a fresh bpf_object in which only that
 * program and the programs the source marks __auxiliary for the mode (tail-call targets)
 * are autoloaded, once with verifier log level 1 and once with level 2, each in a forked
 * child (a crash or a hang of one load costs one answer only). The level-1 load of an
 * accepted program is test-run once as the selftests' test_loader.c runs __retval programs
 * (64 zero bytes in, 256 bytes out, repeat 1; no options for BPF_PROG_TYPE_SYSCALL;
 * capabilities restored first). Programs with __flag annotations are loaded a third time
 * (level 1) with the flags test_loader.c would use.
 *
 * ANSWERS.json gets the answers (format: tests/selftests/README.md); LOGS.json the verifier
 * logs, each capped at LOG_CAP bytes (head and tail kept, the cut marked) with kernel
 * addresses masked. The first error message follows the rule of /work/shared/KERNEL.md and
 * of bpfplay_tests::kernel::error_block (tests/src/kernel.rs), which this file mirrors.
 *
 * Written for bpfplay; the behaviour it reproduces (tags, flags, test runs) is that of the
 * kernel tree's tools/testing/selftests/bpf/test_loader.c and progs/bpf_misc.h (Linux 6.12).
 */
#define _GNU_SOURCE
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/capability.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <unistd.h>

#include <bpf/bpf.h>
#include <bpf/btf.h>
#include <bpf/libbpf.h>

#ifndef BPF_F_TEST_REG_INVARIANTS
#define BPF_F_TEST_REG_INVARIANTS (1U << 7)
#endif

/* Logs kept in LOGS.json: at most this many bytes each (half from the head, half from the
 * tail). */
#define LOG_CAP (64 * 1024)
/* Verifier log buffers: first size per level, doubled on ENOSPC up to LOG_MAX. */
#define LOG_FIRST_L1 (4u << 20)
#define LOG_FIRST_L2 (32u << 20)
#define LOG_MAX (1u << 29) /* the kernel refuses log_size > UINT_MAX >> 2 */
/* One load (open, load, test run) may take this long. */
#define LOAD_TIMEOUT_S 300
/* test_loader.c: TEST_DATA_LEN */
#define TEST_DATA_LEN 64

/* ---------- small string buffer ---------- */

struct buf {
	char *p;
	size_t len, cap;
};

static void buf_add(struct buf *b, const char *s, size_t n)
{
	if (b->len + n + 1 > b->cap) {
		size_t c = b->cap ? b->cap : 256;
		while (c < b->len + n + 1)
			c *= 2;
		b->p = realloc(b->p, c);
		if (!b->p) {
			perror("realloc");
			exit(2);
		}
		b->cap = c;
	}
	memcpy(b->p + b->len, s, n);
	b->len += n;
	b->p[b->len] = '\0';
}

static void buf_str(struct buf *b, const char *s)
{
	buf_add(b, s, strlen(s));
}

static void buf_printf(struct buf *b, const char *fmt, ...)
{
	char tmp[512];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(tmp, sizeof(tmp), fmt, ap);
	va_end(ap);
	if (n < (int)sizeof(tmp)) {
		buf_add(b, tmp, n);
		return;
	}
	char *big = malloc(n + 1);
	va_start(ap, fmt);
	vsnprintf(big, n + 1, fmt, ap);
	va_end(ap);
	buf_add(b, big, n);
	free(big);
}

/* Length of a valid UTF-8 sequence at s (at most n bytes), 0 if invalid. */
static size_t utf8_len(const unsigned char *s, size_t n)
{
	size_t k, i;

	if (s[0] < 0x80)
		return 1;
	if ((s[0] & 0xe0) == 0xc0 && s[0] >= 0xc2)
		k = 2;
	else if ((s[0] & 0xf0) == 0xe0)
		k = 3;
	else if ((s[0] & 0xf8) == 0xf0 && s[0] <= 0xf4)
		k = 4;
	else
		return 0;
	if (k > n)
		return 0;
	for (i = 1; i < k; i++)
		if ((s[i] & 0xc0) != 0x80)
			return 0;
	return k;
}

/* A JSON string literal of n bytes of s; invalid UTF-8 becomes U+FFFD. */
static void buf_json(struct buf *b, const char *s, size_t n)
{
	size_t i = 0;

	buf_add(b, "\"", 1);
	while (i < n) {
		unsigned char c = s[i];
		size_t k;

		if (c == '"' || c == '\\') {
			char e[2] = { '\\', c };
			buf_add(b, e, 2);
			i++;
		} else if (c == '\n') {
			buf_add(b, "\\n", 2);
			i++;
		} else if (c == '\t') {
			buf_add(b, "\\t", 2);
			i++;
		} else if (c < 0x20 || c == 0x7f) {
			buf_printf(b, "\\u%04x", c);
			i++;
		} else if ((k = utf8_len((const unsigned char *)s + i, n - i)) > 0) {
			buf_add(b, s + i, k);
			i += k;
		} else {
			buf_add(b, "\\ufffd", 6);
			i++;
		}
	}
	buf_add(b, "\"", 1);
}

static void buf_jstr(struct buf *b, const char *s)
{
	if (!s)
		buf_str(b, "null");
	else
		buf_json(b, s, strlen(s));
}

/* ---------- errno names ---------- */

static const char *errno_name(int e)
{
	static char tmp[32];
	const char *n;

	switch (e) {
	case 524:
		return "ENOTSUPP"; /* kernel-internal, leaks from bpf() */
	case 512:
		return "ERESTARTSYS";
	}
	n = strerrorname_np(e);
	if (n)
		return n;
	snprintf(tmp, sizeof(tmp), "E%d", e);
	return tmp;
}

/* ---------- the verifier log: first error message, processed count ---------- */

struct line {
	const char *s;
	size_t n;
};

static size_t split_lines(const char *log, size_t len, struct line **out)
{
	size_t cap = 64, cnt = 0, i = 0;
	struct line *v = malloc(cap * sizeof(*v));

	while (i < len) {
		const char *nl = memchr(log + i, '\n', len - i);
		size_t e = nl ? (size_t)(nl - log) : len;

		if (cnt == cap) {
			cap *= 2;
			v = realloc(v, cap * sizeof(*v));
		}
		v[cnt].s = log + i;
		v[cnt].n = e - i;
		if (v[cnt].n && v[cnt].s[v[cnt].n - 1] == '\r')
			v[cnt].n--;
		cnt++;
		i = e + 1;
	}
	*out = v;
	return cnt;
}

static bool blank(struct line l)
{
	for (size_t i = 0; i < l.n; i++)
		if (!isspace((unsigned char)l.s[i]))
			return false;
	return true;
}

static bool has_pfx(const char *s, size_t n, const char *p)
{
	size_t k = strlen(p);
	return n >= k && memcmp(s, p, k) == 0;
}

static bool contains(const char *s, size_t n, const char *p)
{
	return memmem(s, n, p, strlen(p)) != NULL;
}

/* Mirrors is_structure_line in tests/src/kernel.rs: instruction and state lines, func#,
 * from A to B, the liveness table and precision-tracking lines are structure, not
 * messages. */
static bool is_structure_line(struct line l)
{
	const char *t = l.s;
	size_t n = l.n, d = 0;

	while (n && isspace((unsigned char)*t))
		t++, n--;
	while (d < n && isdigit((unsigned char)t[d]))
		d++;
	if (d > 0 && has_pfx(t + d, n - d, ": "))
		return true;
	if (n && t[0] == '(') {
		size_t e = 1;
		while (e < n && isdigit((unsigned char)t[e]))
			e++;
		if (e > 1 && has_pfx(t + e, n - e, ") "))
			return true;
	}
	return has_pfx(t, n, "func#") || has_pfx(t, n, "Live regs before insn:") ||
	       has_pfx(t, n, "mark_precise:") || has_pfx(t, n, "last_idx ") ||
	       has_pfx(t, n, "regs=") || has_pfx(t, n, "parent ") ||
	       has_pfx(t, n, "propagating ") ||
	       (has_pfx(t, n, "from ") && contains(t, n, " to ") && memchr(t, ':', n));
}

/* Where `processed N insns` is: the last line holding it and the column; false if none. */
static bool processed_at(struct line *v, size_t cnt, size_t *line, size_t *col, long *num)
{
	for (size_t i = cnt; i-- > 0;) {
		const char *s = v[i].s;
		size_t n = v[i].n, from = 0;
		bool found = false;

		while (from < n) {
			const char *p = memmem(s + from, n - from, "processed ", 10);
			size_t at, j;
			long val = 0;

			if (!p)
				break;
			at = p - s;
			j = at + 10;
			if (j < n && isdigit((unsigned char)s[j])) {
				while (j < n && isdigit((unsigned char)s[j]))
					val = val * 10 + (s[j++] - '0');
				if (has_pfx(s + j, n - j, " insns")) {
					found = true;
					*col = at;
					*num = val;
				}
			}
			from = at + 1;
		}
		if (found) {
			*line = i;
			return true;
		}
	}
	return false;
}

static struct line rtrim(struct line l)
{
	while (l.n && isspace((unsigned char)l.s[l.n - 1]))
		l.n--;
	return l;
}

/* The error block of a rejected program's log (bpfplay_tests::kernel::error_block):
 * the lines before `processed N insns` back to the last structure or empty line; text glued
 * before `processed` on its line is the last line of the block; if there is no such line,
 * the last non-empty line before the statistics. Writes the JSON fields "message" and
 * "message_more" (absent for an empty log). Returns the processed count or -1. */
static long log_answers(const char *log, size_t len, struct buf *out)
{
	struct line *v, *block;
	size_t cnt = split_lines(log, len, &v), end = cnt, col = 0, nb = 0, k;
	long processed = -1;

	block = malloc((cnt + 1) * sizeof(*block));
	if (!processed_at(v, cnt, &end, &col, &processed)) {
		end = cnt;
		col = 0;
	}
	if (col > 0) {
		struct line g = { v[end].s, col };
		if (!blank(g))
			block[cnt - nb++] = rtrim(g);
	}
	/* built backwards from block[cnt] down */
	k = end;
	while (k > 0 && !blank(v[k - 1]) && !is_structure_line(v[k - 1])) {
		k--;
		block[cnt - nb++] = v[k];
	}
	if (nb == 0) {
		for (size_t i = end; i-- > 0;)
			if (!blank(v[i])) {
				block[cnt - nb++] = v[i];
				break;
			}
	}
	if (nb > 0) {
		/* block[cnt - nb + 1 .. cnt] in order: the lowest index is the first line */
		struct line *first = &block[cnt - nb + 1];
		buf_str(out, ",\"message\":");
		buf_json(out, first[0].s, first[0].n);
		if (nb > 1) {
			buf_str(out, ",\"message_more\":[");
			for (size_t i = 1; i < nb; i++) {
				if (i > 1)
					buf_str(out, ",");
				buf_json(out, first[i].s, first[i].n);
			}
			buf_str(out, "]");
		}
	}
	free(block);
	free(v);
	return processed;
}

/* The log as kept: kernel addresses (0xffff and 12 more hex digits, the map pointers an
 * LD_IMM64 of a map shows) masked as `0xffff…`, which differ from load to load; capped at
 * LOG_CAP bytes (head and tail, the cut marked). */
static void keep_log(const char *log, size_t len, bool truncated_by_kernel, struct buf *out)
{
	struct buf m = { 0 };
	size_t i = 0;

	while (i < len) {
		const char *p = memmem(log + i, len - i, "0xffff", 6);
		size_t at, h = 0;

		if (!p) {
			buf_add(&m, log + i, len - i);
			break;
		}
		at = p - log;
		buf_add(&m, log + i, at + 6 - i);
		while (at + 6 + h < len && isxdigit((unsigned char)log[at + 6 + h]))
			h++;
		if (h == 12) {
			buf_str(&m, "\xe2\x80\xa6"); /* … */
			i = at + 18;
		} else {
			i = at + 6;
		}
	}
	if (!m.p)
		buf_str(&m, "");
	if (truncated_by_kernel) {
		struct buf t = { 0 };
		buf_str(&t, "[log: the kernel's buffer overflowed even at the largest size; only "
			    "its tail is below]\n");
		buf_add(&t, m.p, m.len);
		free(m.p);
		m = t;
	}
	if (m.len <= LOG_CAP) {
		buf_json(out, m.p, m.len);
	} else {
		size_t h = LOG_CAP / 2, t = LOG_CAP / 2, cut, lines = 0;
		struct buf c = { 0 };

		/* cut at line boundaries */
		while (h > 0 && m.p[h - 1] != '\n')
			h--;
		while (t > 0 && m.p[m.len - t - 1] != '\n')
			t--;
		cut = m.len - h - t;
		for (size_t j = h; j < m.len - t; j++)
			lines += m.p[j] == '\n';
		buf_add(&c, m.p, h);
		buf_printf(&c, "[log: %zu bytes, %zu lines, cut here; the full log was %zu bytes]\n",
			   cut, lines, m.len);
		buf_add(&c, m.p + m.len - t, t);
		buf_json(out, c.p, c.len);
		free(c.p);
	}
	free(m.p);
}

/* ---------- the selftests' annotations (BTF decl tags of the program's FUNC) ---------- */

#define TAG_PFX "comment:"

struct spec {
	char **tags; /* verbatim, in BTF order */
	int ntags;
	bool auxiliary, priv_mode, unpriv_mode;
	bool has_flags;
	unsigned flags; /* the prog_flags test_loader.c would add */
	const char *btf_path;
};

static bool tag_is(const char *s, const char *name)
{
	return strcmp(s, name) == 0;
}

static bool tag_pfx(const char *s, const char *pfx)
{
	return strncmp(s, pfx, strlen(pfx)) == 0;
}

/* After "PFX" and a "N=" counter (tags that repeat: __msg, __xlated, __jited). */
static const char *after_counter(const char *s, const char *pfx)
{
	const char *p;

	if (!tag_pfx(s, pfx))
		return NULL;
	p = strchr(s + strlen(pfx), '=');
	return p ? p + 1 : NULL;
}

static unsigned flag_value(const char *v, bool *ok)
{
	static const struct {
		const char *n;
		unsigned v;
	} names[] = {
		{ "BPF_F_STRICT_ALIGNMENT", BPF_F_STRICT_ALIGNMENT },
		{ "BPF_F_ANY_ALIGNMENT", BPF_F_ANY_ALIGNMENT },
		{ "BPF_F_TEST_RND_HI32", BPF_F_TEST_RND_HI32 },
		{ "BPF_F_TEST_STATE_FREQ", BPF_F_TEST_STATE_FREQ },
		{ "BPF_F_SLEEPABLE", BPF_F_SLEEPABLE },
		{ "BPF_F_XDP_HAS_FRAGS", BPF_F_XDP_HAS_FRAGS },
		{ "BPF_F_TEST_REG_INVARIANTS", BPF_F_TEST_REG_INVARIANTS },
	};
	char *end;
	long n;

	*ok = true;
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (strcmp(v, names[i].n) == 0)
			return names[i].v;
	n = strncmp(v, "0x", 2) == 0 ? strtol(v + 2, &end, 16) : strtol(v, &end, 10);
	*ok = *end == '\0';
	return (unsigned)n;
}

static void read_spec(struct bpf_object *obj, struct bpf_program *prog, struct spec *sp)
{
	struct btf *btf = bpf_object__btf(obj);
	int func, n;

	memset(sp, 0, sizeof(*sp));
	/* test_loader.c: testing_prog_flags() gives BPF_F_TEST_RND_HI32 and
	 * BPF_F_TEST_REG_INVARIANTS where the kernel knows them (6.18 does). */
	sp->flags = BPF_F_TEST_RND_HI32 | BPF_F_TEST_REG_INVARIANTS;
	if (!btf)
		return;
	func = btf__find_by_name_kind(btf, bpf_program__name(prog), BTF_KIND_FUNC);
	if (func < 0)
		return;
	n = btf__type_cnt(btf);
	for (int i = 1; i < n; i++) {
		const struct btf_type *t = btf__type_by_id(btf, i);
		const char *s;

		if (!btf_is_decl_tag(t) || t->type != (unsigned)func ||
		    btf_decl_tag(t)->component_idx != -1)
			continue;
		s = btf__str_by_offset(btf, t->name_off);
		sp->tags = realloc(sp->tags, (sp->ntags + 1) * sizeof(char *));
		sp->tags[sp->ntags++] = strdup(s);
		if (!tag_pfx(s, TAG_PFX))
			continue;
		s += strlen(TAG_PFX);
		/* which modes the test covers (test_loader.c parse_test_spec: mode_mask) */
		if (tag_is(s, "test_expect_failure") || tag_is(s, "test_expect_success") ||
		    after_counter(s, "test_expect_msg=") || after_counter(s, "test_expect_xlated=") ||
		    tag_pfx(s, "test_retval="))
			sp->priv_mode = true;
		if (tag_is(s, "test_expect_failure_unpriv") || tag_is(s, "test_expect_success_unpriv") ||
		    after_counter(s, "test_expect_msg_unpriv=") ||
		    after_counter(s, "test_expect_xlated_unpriv=") || tag_pfx(s, "test_retval_unpriv="))
			sp->unpriv_mode = true;
		if (tag_is(s, "test_auxiliary")) {
			sp->auxiliary = true;
			sp->priv_mode = true;
		}
		if (tag_is(s, "test_auxiliary_unpriv")) {
			sp->auxiliary = true;
			sp->unpriv_mode = true;
		}
		if (tag_pfx(s, "test_prog_flags=")) {
			const char *v = s + strlen("test_prog_flags=");
			bool clear = *v == '!', ok;
			unsigned f;

			if (clear)
				v++;
			f = flag_value(v, &ok);
			if (ok) {
				sp->has_flags = true;
				if (clear)
					sp->flags &= ~f;
				else
					sp->flags |= f;
			}
		}
		if (tag_pfx(s, "test_btf_path="))
			sp->btf_path = s + strlen("test_btf_path=");
	}
	if (!sp->priv_mode && !sp->unpriv_mode)
		sp->priv_mode = true;
}

/* The annotations as the test file states them, per mode, after test_loader.c's rules: an
 * unprivileged result, messages and retval default to the privileged ones. */
static void write_expect(struct buf *o, struct spec *sp)
{
	const char *desc = NULL;
	bool fail[2] = { false, false }, has_res_u = false, has_ret[2] = { false, false };
	const char *ret[2] = { NULL, NULL };
	int log_level = -1;

	for (int i = 0; i < sp->ntags; i++) {
		const char *s = sp->tags[i];
		if (!tag_pfx(s, TAG_PFX))
			continue;
		s += strlen(TAG_PFX);
		if (tag_pfx(s, "test_description="))
			desc = s + strlen("test_description=");
		else if (tag_is(s, "test_expect_failure"))
			fail[0] = true;
		else if (tag_is(s, "test_expect_success"))
			fail[0] = false;
		else if (tag_is(s, "test_expect_failure_unpriv"))
			fail[1] = true, has_res_u = true;
		else if (tag_is(s, "test_expect_success_unpriv"))
			fail[1] = false, has_res_u = true;
		else if (tag_pfx(s, "test_retval="))
			ret[0] = s + strlen("test_retval="), has_ret[0] = true;
		else if (tag_pfx(s, "test_retval_unpriv="))
			ret[1] = s + strlen("test_retval_unpriv="), has_ret[1] = true;
		else if (tag_pfx(s, "test_log_level="))
			log_level = atoi(s + strlen("test_log_level="));
	}
	if (!has_res_u)
		fail[1] = fail[0];
	if (!has_ret[1])
		ret[1] = ret[0];

	buf_str(o, ",\"expect\":{");
	buf_str(o, "\"description\":");
	buf_jstr(o, desc);
	buf_printf(o, ",\"auxiliary\":%s", sp->auxiliary ? "true" : "false");
	if (sp->has_flags)
		buf_printf(o, ",\"prog_flags\":%u", sp->flags);
	if (log_level >= 0)
		buf_printf(o, ",\"log_level\":%d", log_level);
	if (sp->btf_path) {
		buf_str(o, ",\"btf_path\":");
		buf_jstr(o, sp->btf_path);
	}
	for (int m = 0; m < 2; m++) {
		const char *mp = m ? "test_expect_msg_unpriv=" : "test_expect_msg=";
		bool any = false;

		buf_printf(o, ",\"%s\":", m ? "unpriv" : "priv");
		if (!(m ? sp->unpriv_mode : sp->priv_mode)) {
			buf_str(o, "null");
			continue;
		}
		buf_printf(o, "{\"failure\":%s,\"msgs\":[", fail[m] ? "true" : "false");
		for (int pass = 0; pass < 2 && !any; pass++) {
			/* unpriv without its own messages takes the privileged ones */
			const char *p = (m && pass) ? "test_expect_msg=" : mp;
			if (!m && pass)
				break;
			for (int i = 0; i < sp->ntags; i++) {
				const char *s = sp->tags[i], *v;
				if (!tag_pfx(s, TAG_PFX))
					continue;
				v = after_counter(s + strlen(TAG_PFX), p);
				if (!v)
					continue;
				buf_str(o, any ? "," : "");
				buf_jstr(o, v);
				any = true;
			}
		}
		buf_str(o, "],\"retval\":");
		buf_jstr(o, ret[m]);
		buf_str(o, "}");
	}
	buf_str(o, "}");
}

/* ---------- capabilities ---------- */

static int caps_get(struct __user_cap_data_struct d[2])
{
	struct __user_cap_header_struct h = { _LINUX_CAPABILITY_VERSION_3, 0 };
	return syscall(SYS_capget, &h, d);
}

static int caps_set(struct __user_cap_data_struct d[2])
{
	struct __user_cap_header_struct h = { _LINUX_CAPABILITY_VERSION_3, 0 };
	return syscall(SYS_capset, &h, d);
}

static void cap_clear(struct __user_cap_data_struct d[2], int c)
{
	d[c / 32].effective &= ~(1u << (c % 32));
}

static bool cap_has(struct __user_cap_data_struct d[2], int c)
{
	return d[c / 32].effective & (1u << (c % 32));
}

/* ---------- one load, in a child ---------- */

struct job {
	const char *obj_path, *obj_name, *btf_dir;
	int prog_idx;
	bool unpriv;
	int level;
	bool test_flags; /* load with the flags the selftests would use */
	bool run;
};

static struct buf libbpf_msgs;

static int print_fn(enum libbpf_print_level level, const char *fmt, va_list ap)
{
	char tmp[4096];
	int n;

	if (level != LIBBPF_WARN || libbpf_msgs.len > 16384)
		return 0;
	n = vsnprintf(tmp, sizeof(tmp), fmt, ap);
	if (n > (int)sizeof(tmp) - 1)
		n = sizeof(tmp) - 1;
	buf_add(&libbpf_msgs, tmp, n);
	return 0;
}

static struct bpf_object *open_obj(const struct job *j, const char *btf_path)
{
	char custom[4096];
	LIBBPF_OPTS(bpf_object_open_opts, opts, .object_name = j->obj_name);

	if (btf_path) {
		snprintf(custom, sizeof(custom), "%s/%s", j->btf_dir ? j->btf_dir : ".", btf_path);
		opts.btf_custom_path = custom;
	}
	return bpf_object__open_file(j->obj_path, &opts);
}

/* The libbpf warnings, without the log dumps, as a JSON array of lines. */
static void write_libbpf(struct buf *o)
{
	struct line *v;
	size_t cnt = split_lines(libbpf_msgs.p ? libbpf_msgs.p : "", libbpf_msgs.len, &v);
	int k = 0;

	bool dump = false;

	buf_str(o, ",\"libbpf\":[");
	for (size_t i = 0; i < cnt && k < 12; i++) {
		/* leave out the logs libbpf dumps (BTF load log, its own program log) */
		if (contains(v[i].s, v[i].n, "-- BEGIN ")) {
			dump = true;
			continue;
		}
		if (contains(v[i].s, v[i].n, "-- END ")) {
			dump = false;
			continue;
		}
		if (dump || blank(v[i]))
			continue;
		buf_str(o, k++ ? "," : "");
		buf_json(o, v[i].s, v[i].n);
	}
	buf_str(o, "]");
	free(v);
}

/* Does one load and writes to fd: u32 length + answer fields (JSON members without braces),
 * u32 length + the kept log (a JSON string). */
/* ---------- maps after a test run ---------- */

#define MAP_DUMP_ENTRIES 64
#define MAP_DUMP_INLINE 256

static void buf_hex(struct buf *b, const unsigned char *p, size_t n)
{
	static const char d[] = "0123456789abcdef";
	char two[2];

	for (size_t i = 0; i < n; i++) {
		two[0] = d[p[i] >> 4];
		two[1] = d[p[i] & 15];
		buf_add(b, two, 2);
	}
}

/* A value as hex, or for a large one its size and FNV-1a 64 hash ("fnv:SIZE:HASH"). */
static void buf_value(struct buf *b, const unsigned char *p, size_t n)
{
	uint64_t h = 0xcbf29ce484222325ULL;

	buf_str(b, "\"");
	if (n <= MAP_DUMP_INLINE) {
		buf_hex(b, p, n);
	} else {
		for (size_t i = 0; i < n; i++)
			h = (h ^ p[i]) * 0x100000001b3ULL;
		buf_printf(b, "fnv:%zu:%016llx", n, (unsigned long long)h);
	}
	buf_str(b, "\"");
}

static bool all_zero(const unsigned char *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (p[i])
			return false;
	return true;
}

/* Every hash, LRU hash and array map of the object as the run left it: the entries whose
 * value is not all zeros, up to MAP_DUMP_ENTRIES a map, in the kernel's key order
 * (`"maps":[{"name":N,"entries":[[KEY,VALUE],...],"more":true?}]`). Maps with no such
 * entry are left out. */
static void write_maps(struct bpf_object *obj, struct buf *o)
{
	struct bpf_map *m;
	bool first_map = true;

	buf_str(o, ",\"maps\":[");
	bpf_object__for_each_map(m, obj) {
		enum bpf_map_type t = bpf_map__type(m);
		size_t ks = bpf_map__key_size(m), vs = bpf_map__value_size(m);
		int mfd = bpf_map__fd(m), cnt = 0;
		unsigned char *key, *next, *val;
		bool first = true, more = false, have_key = false;

		if (t != BPF_MAP_TYPE_HASH && t != BPF_MAP_TYPE_ARRAY && t != BPF_MAP_TYPE_LRU_HASH)
			continue;
		if (mfd < 0 || ks == 0 || vs == 0)
			continue;
		key = calloc(1, ks);
		next = calloc(1, ks);
		val = calloc(1, vs);
		if (!key || !next || !val)
			_exit(2);
		while (bpf_map_get_next_key(mfd, have_key ? key : NULL, next) == 0) {
			memcpy(key, next, ks);
			have_key = true;
			if (bpf_map_lookup_elem(mfd, key, val) != 0)
				continue;
			if (t == BPF_MAP_TYPE_ARRAY && all_zero(val, vs))
				continue;
			if (cnt == MAP_DUMP_ENTRIES) {
				more = true;
				break;
			}
			if (first) {
				buf_str(o, first_map ? "{\"name\":" : ",{\"name\":");
				buf_jstr(o, bpf_map__name(m));
				buf_str(o, ",\"entries\":[");
				first_map = false;
			}
			buf_str(o, first ? "[\"" : ",[\"");
			buf_hex(o, key, ks);
			buf_str(o, "\",");
			buf_value(o, val, vs);
			buf_str(o, "]");
			first = false;
			cnt++;
		}
		if (!first)
			buf_str(o, more ? "],\"more\":true}" : "]}");
		free(key);
		free(next);
		free(val);
	}
	buf_str(o, "]");
}

static void child(const struct job *j, int fd)
{
	struct __user_cap_data_struct caps[2], saved[2];
	struct buf ans = { 0 }, logj = { 0 };
	struct bpf_program *p, *prog = NULL;
	struct bpf_object *obj;
	struct spec *specs = NULL;
	size_t log_size = j->level >= 2 ? LOG_FIRST_L2 : LOG_FIRST_L1;
	char *log = NULL;
	int err, i, nprogs = 0;
	bool enospc_at_max = false;
	uint32_t n;

	alarm(LOAD_TIMEOUT_S);
	libbpf_set_print(print_fn);

	if (j->unpriv) {
		if (caps_get(caps)) {
			perror("capget");
			_exit(3);
		}
		memcpy(saved, caps, sizeof(caps));
		cap_clear(caps, CAP_SYS_ADMIN);
		cap_clear(caps, CAP_PERFMON);
		if (caps_set(caps) || caps_get(caps) || cap_has(caps, CAP_SYS_ADMIN) ||
		    cap_has(caps, CAP_PERFMON) || !cap_has(caps, CAP_BPF)) {
			fprintf(stderr, "cannot drop CAP_SYS_ADMIN/CAP_PERFMON keeping CAP_BPF\n");
			_exit(3);
		}
	}

	for (;;) {
		libbpf_msgs.len = 0;
		if (libbpf_msgs.p)
			libbpf_msgs.p[0] = '\0';
		/* the annotations, from a first open (BTF path, auxiliaries, flags) */
		obj = open_obj(j, NULL);
		if (!obj) {
			buf_printf(&ans, "\"verdict\":\"%s\",\"stage\":\"open\"", errno_name(errno));
			write_libbpf(&ans);
			goto send;
		}
		nprogs = 0;
		bpf_object__for_each_program(p, obj)
			nprogs++;
		specs = calloc(nprogs, sizeof(*specs));
		i = 0;
		bpf_object__for_each_program(p, obj)
			read_spec(obj, p, &specs[i++]);
		if (specs[j->prog_idx].btf_path) {
			bpf_object__close(obj);
			obj = open_obj(j, specs[j->prog_idx].btf_path);
			if (!obj) {
				buf_printf(&ans, "\"verdict\":\"%s\",\"stage\":\"open\"", errno_name(errno));
				write_libbpf(&ans);
				goto send;
			}
		}
		i = 0;
		bpf_object__for_each_program(p, obj) {
			struct spec *s = &specs[i];
			bool load = i == j->prog_idx ||
				    (s->auxiliary && (j->unpriv ? s->unpriv_mode : s->priv_mode));
			bpf_program__set_autoload(p, load);
			if (i == j->prog_idx)
				prog = p;
			i++;
		}
		log = realloc(log, log_size);
		log[0] = '\0';
		bpf_program__set_log_buf(prog, log, log_size);
		bpf_program__set_log_level(prog, j->level);
		if (j->test_flags)
			bpf_program__set_flags(prog, bpf_program__flags(prog) | specs[j->prog_idx].flags);
		err = bpf_object__load(obj);
		if (err == -ENOSPC && bpf_program__fd(prog) < 0) {
			if (log_size < LOG_MAX) {
				bpf_object__close(obj);
				log_size *= 2;
				continue;
			}
			enospc_at_max = true;
		}
		break;
	}

	{
		size_t len = strlen(log);
		long processed;
		int pfd = bpf_program__fd(prog);

		char want[512];
		bool ours_failed;

		/* libbpf says so when the kernel refused this program (libbpf.c,
		 * bpf_object_load_prog); otherwise libbpf failed before or after it */
		snprintf(want, sizeof(want), "prog '%s': BPF program load failed",
			 bpf_program__name(prog));
		ours_failed = libbpf_msgs.p && strstr(libbpf_msgs.p, want);
		if (pfd >= 0) {
			buf_str(&ans, "\"verdict\":\"loaded\"");
		} else {
			const char *stage = !ours_failed ? "libbpf" : len > 0 ? "verifier" : "kernel";

			buf_printf(&ans, "\"verdict\":\"%s\",\"stage\":\"%s\"",
				   errno_name(err < 0 ? -err : EINVAL), stage);
			/* accepted, then another program of the object failed */
			if (!ours_failed && len > 0)
				buf_str(&ans, ",\"verifier_accepted\":true");
		}
		if (pfd < 0 && ours_failed && len > 0)
			processed = log_answers(log, len, &ans);
		else {
			struct buf dummy = { 0 };
			processed = log_answers(log, len, &dummy);
			free(dummy.p);
		}
		buf_str(&ans, ",\"processed\":");
		if (processed >= 0)
			buf_printf(&ans, "%ld", processed);
		else
			buf_str(&ans, "null");
		buf_printf(&ans, ",\"log_bytes\":%zu", len);
		if (enospc_at_max)
			buf_str(&ans, ",\"log_overflow\":true");
		if (j->test_flags)
			buf_printf(&ans, ",\"prog_flags\":%u", bpf_program__flags(prog));
		/* what libbpf said, where the kernel's verifier did not answer */
		if (pfd < 0 && !(ours_failed && len > 0))
			write_libbpf(&ans);
		keep_log(log, len, enospc_at_max, &logj);

		if (pfd >= 0 && j->run) {
			__u8 in[TEST_DATA_LEN] = { 0 }, out[TEST_DATA_LEN << 2] = { 0 };
			LIBBPF_OPTS(bpf_test_run_opts, topts, .data_in = in, .data_size_in = sizeof(in),
				    .data_out = out, .data_size_out = sizeof(out), .repeat = 1);

			if (bpf_program__type(prog) == BPF_PROG_TYPE_SYSCALL) {
				memset(&topts, 0, sizeof(topts));
				topts.sz = sizeof(topts);
			}
			/* test_loader.c restores the capabilities before running */
			if (j->unpriv && caps_set(saved)) {
				perror("capset (restore)");
				_exit(3);
			}
			if (bpf_prog_test_run_opts(pfd, &topts) == 0) {
				buf_printf(&ans, ",\"run\":{\"retval\":%u", topts.retval);
				write_maps(obj, &ans);
				buf_str(&ans, "}");
			} else
				buf_printf(&ans, ",\"run\":{\"errno\":\"%s\"}", errno_name(errno));
		}
	}

send:
	n = ans.len;
	if (write(fd, &n, 4) != 4 || write(fd, ans.p, n) != (ssize_t)n)
		_exit(4);
	if (!logj.p)
		buf_str(&logj, "\"\"");
	n = logj.len;
	if (write(fd, &n, 4) != 4 || write(fd, logj.p, n) != (ssize_t)n)
		_exit(4);
	_exit(0);
}

static bool read_full(int fd, void *p, size_t n)
{
	size_t got = 0;

	while (got < n) {
		ssize_t r = read(fd, (char *)p + got, n - got);
		if (r <= 0) {
			if (r < 0 && errno == EINTR)
				continue;
			return false;
		}
		got += r;
	}
	return true;
}

/* Runs one job in a child; appends the answer fields to ans and the log string to logs. */
static void run_job(const struct job *j, struct buf *ans, struct buf *logs)
{
	int pfd[2], status;
	pid_t pid;
	uint32_t n;
	char *a = NULL, *l = NULL;
	bool ok = false;

	if (pipe(pfd)) {
		perror("pipe");
		exit(2);
	}
	fflush(NULL);
	pid = fork();
	if (pid < 0) {
		perror("fork");
		exit(2);
	}
	if (pid == 0) {
		close(pfd[0]);
		child(j, pfd[1]);
	}
	close(pfd[1]);
	if (read_full(pfd[0], &n, 4) && (a = malloc(n + 1)) && read_full(pfd[0], a, n)) {
		a[n] = '\0';
		if (read_full(pfd[0], &n, 4) && (l = malloc(n + 1)) && read_full(pfd[0], l, n)) {
			l[n] = '\0';
			ok = true;
		}
	}
	close(pfd[0]);
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	if (ok) {
		buf_str(ans, a);
		buf_str(logs, l);
	} else if (WIFSIGNALED(status)) {
		buf_printf(ans, "\"verdict\":\"%s\",\"stage\":\"loader\"",
			   WTERMSIG(status) == SIGALRM ? "timeout" : "crash");
		buf_printf(ans, ",\"signal\":%d", WTERMSIG(status));
		buf_str(logs, "\"\"");
	} else {
		buf_printf(ans, "\"verdict\":\"crash\",\"stage\":\"loader\",\"exit\":%d",
			   WIFEXITED(status) ? WEXITSTATUS(status) : -1);
		buf_str(logs, "\"\"");
	}
	free(a);
	free(l);
}

static void write_file(const char *path, struct buf *b)
{
	FILE *f = fopen(path, "w");

	if (!f || fwrite(b->p, 1, b->len, f) != b->len || fclose(f)) {
		perror(path);
		exit(2);
	}
}

int main(int argc, char **argv)
{
	const char *btf_dir = NULL, *obj_name = NULL;
	struct buf ans = { 0 }, logs = { 0 };
	struct bpf_object *obj;
	struct bpf_program *p;
	int opt, idx = 0;

	while ((opt = getopt(argc, argv, "b:n:")) != -1) {
		if (opt == 'b')
			btf_dir = optarg;
		else if (opt == 'n')
			obj_name = optarg;
		else
			goto usage;
	}
	if (argc - optind != 3) {
usage:
		fprintf(stderr, "usage: %s [-b BTFDIR] [-n OBJNAME] OBJ.o ANSWERS.json LOGS.json\n",
			argv[0]);
		return 2;
	}
	libbpf_set_print(print_fn);
	{
		LIBBPF_OPTS(bpf_object_open_opts, opts, .object_name = obj_name);
		obj = bpf_object__open_file(argv[optind], &opts);
	}
	if (!obj) {
		fprintf(stderr, "%s: libbpf cannot open it: %s\n%s", argv[optind], errno_name(errno),
			libbpf_msgs.p ? libbpf_msgs.p : "");
		return 1;
	}

	{
		struct utsname u;
		const char *base = strrchr(argv[optind], '/');

		uname(&u);
		buf_str(&ans, "{\"format\":1,\"object\":");
		buf_jstr(&ans, base ? base + 1 : argv[optind]);
		buf_str(&ans, ",\"kernel\":");
		buf_jstr(&ans, u.release);
		buf_str(&ans, ",\"compile_error\":null,\"programs\":[");
	}
	buf_str(&logs, "{");
	bpf_object__for_each_program(p, obj) {
		struct spec sp;
		struct job j = { .obj_path = argv[optind], .obj_name = obj_name, .btf_dir = btf_dir,
				 .prog_idx = idx };
		const char *tname = libbpf_bpf_prog_type_str(bpf_program__type(p));

		read_spec(obj, p, &sp);
		buf_str(&ans, idx ? ",\n{" : "\n{");
		buf_str(&ans, "\"name\":");
		buf_jstr(&ans, bpf_program__name(p));
		buf_str(&ans, ",\"section\":");
		buf_jstr(&ans, bpf_program__section_name(p));
		buf_str(&ans, ",\"type\":");
		buf_jstr(&ans, tname ? tname : "unknown");
		buf_printf(&ans, ",\"insns\":%zu,\"tags\":[", bpf_program__insn_cnt(p));
		for (int i = 0; i < sp.ntags; i++) {
			buf_str(&ans, i ? "," : "");
			buf_jstr(&ans, sp.tags[i]);
		}
		buf_str(&ans, "]");
		write_expect(&ans, &sp);

		buf_str(&logs, idx ? ",\n" : "\n");
		buf_jstr(&logs, bpf_program__name(p));
		buf_str(&logs, ":{");
		for (int m = 0; m < 2; m++) {
			j.unpriv = m;
			buf_printf(&ans, ",\n \"%s\":{", m ? "unpriv" : "priv");
			buf_printf(&logs, "%s\"%s\":{\"log1\":", m ? "," : "", m ? "unpriv" : "priv");
			j.level = 1, j.run = true, j.test_flags = false;
			run_job(&j, &ans, &logs);
			buf_str(&ans, ",\"level2\":{");
			buf_str(&logs, ",\"log2\":");
			j.level = 2, j.run = false;
			run_job(&j, &ans, &logs);
			buf_str(&ans, "}");
			if (sp.has_flags) {
				buf_str(&ans, ",\"test_flags\":{");
				buf_str(&logs, ",\"log1_test_flags\":");
				j.level = 1, j.test_flags = true;
				run_job(&j, &ans, &logs);
				buf_str(&ans, "}");
			}
			buf_str(&ans, "}");
			buf_str(&logs, "}");
		}
		buf_str(&ans, "}");
		buf_str(&logs, "}");
		idx++;
		fprintf(stderr, ".");
	}
	buf_str(&ans, "\n]}\n");
	buf_str(&logs, "\n}\n");
	fprintf(stderr, " %d programs\n", idx);
	write_file(argv[optind + 1], &ans);
	write_file(argv[optind + 2], &logs);
	bpf_object__close(obj);
	return 0;
}
