/* SPDX-License-Identifier: MPL-2.0 */
/* expect: clean */
/* Byte writers into pointer-free objects: plain-data structs (nested too),
 * byte buffers, a writer's own void * destination (its callers are
 * checked), and the copy-then-assign form for a structure with pointers.
 * Not writers: krealloc (it moves the object it is given), a callback's
 * void * context whose size_t belongs to another buffer, NULL. */
#include <aster/frame.h>
#include <aster/heap.h>
#include <aster/string.h>
#include <aster/uaccess.h>

struct timespec_u { int64_t sec, nsec; };
struct itimer_u { struct timespec_u interval, value; };
struct request { uint64_t len; char *buf; };
struct request_u { uint64_t len; uint64_t buf; };

int get_itimer(struct itimer_u *it, uaddr_t ua);
int get_itimer(struct itimer_u *it, uaddr_t ua)
{
	return copy_from_user(it, ua, sizeof(*it));
}

int read_page(const struct frame *f, uint8_t *out, size_t n);
int read_page(const struct frame *f, uint8_t *out, size_t n)
{
	uint32_t words[4];
	int err = frame_read(f, 0, words, sizeof(words));

	if (err)
		return err;
	return frame_read(f, sizeof(words), out, n);
}

int fetch_bytes(void *dst, uaddr_t ua, size_t n);
int fetch_bytes(void *dst, uaddr_t ua, size_t n)
{
	if (n > 4096)
		return -1;
	return copy_from_user(dst, ua, n);
}

int get_request(struct request *r, uaddr_t ua, char *pool);
int get_request(struct request *r, uaddr_t ua, char *pool)
{
	struct request_u u;
	int err = fetch_bytes(&u, ua, sizeof(u));

	if (err)
		return err;
	r->len = u.len;
	r->buf = pool;
	return 0;
}

struct request *grow(struct request *v, size_t n);
struct request *grow(struct request *v, size_t n)
{
	return krealloc(v, n * sizeof(*v));
}

struct sink { void (*write)(void *arg, const char *s, size_t n); void *arg; };
struct tty { struct tty *next; struct sink out; };

void echo(struct tty *t, const char *s, size_t n);
void echo(struct tty *t, const char *s, size_t n)
{
	t->out.write(t, s, n);
	t->out.write(t->out.arg, s, n);
}

int probe(uaddr_t ua);
int probe(uaddr_t ua)
{
	return fetch_bytes(NULL, ua, 0);
}
