/* relibc compat (README.txt): no fmemopen, open_memstream nor fopencookie. */
#ifndef _RELIBC_STDIO_H
#define _RELIBC_STDIO_H
#include <stdarg.h>
#include <stddef.h>
#include <features.h>
#include <sys/types.h>
typedef struct FILE FILE;
extern FILE *stdin;
extern FILE *stdout;
extern FILE *stderr;
#define EOF	 (-1)
#define BUFSIZ	 1024
#define SEEK_SET 0
#define SEEK_CUR 1
#define SEEK_END 2
FILE *fopen(const char *path, const char *mode);
FILE *fdopen(int fd, const char *mode);
int fclose(FILE *f);
int fflush(FILE *f);
size_t fread(void *p, size_t size, size_t n, FILE *f);
size_t fwrite(const void *p, size_t size, size_t n, FILE *f);
int fseek(FILE *f, long off, int whence);
long ftell(FILE *f);
int ferror(FILE *f);
int feof(FILE *f);
int fileno(FILE *f);
int fputc(int c, FILE *f);
int fputs(const char *s, FILE *f);
int putc(int c, FILE *f);
int putchar(int c);
int puts(const char *s);
int fgetc(FILE *f);
char *fgets(char *s, int n, FILE *f);
int printf(const char *fmt, ...);
int fprintf(FILE *f, const char *fmt, ...);
int snprintf(char *s, size_t n, const char *fmt, ...);
int sprintf(char *s, const char *fmt, ...);
int sscanf(const char *s, const char *fmt, ...);
int vprintf(const char *fmt, va_list ap);
int vfprintf(FILE *f, const char *fmt, va_list ap);
int vsnprintf(char *s, size_t n, const char *fmt, va_list ap);
void perror(const char *s);
int setvbuf(FILE *f, char *buf, int mode, size_t size);
int remove(const char *path);
int rename(const char *a, const char *b);
FILE *tmpfile(void);
#define _IOFBF 0
#define _IOLBF 1
#define _IONBF 2
#endif
