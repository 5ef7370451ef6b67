/* rawtext: the contents of a page's script and style elements dropped
 * before libxml2 parses it.  On real agreement pages they are a fifth to
 * two thirds of the bytes, parsed character by character into text the
 * normaliser then throws away. */
#ifndef CW_RAWTEXT_H
#define CW_RAWTEXT_H
#include <stddef.h>

/* Drops, in place, what lies between <script ...> or <style ...> and the
 * next "</script" or "</style" (the tags stay), reading the page as
 * libxml2 2.9's HTML parser reads it: tags with quoted attribute values,
 * comments, processing instructions, DOCTYPE.  Where that reading is in
 * doubt (a NUL byte, a construct or a quoted value without its end,
 * content that starts with '<', which libxml2 may read as a tag)
 * nothing more is dropped from there on, so the tree libxml2 builds
 * differs only in the text of those elements.  Returns the new length. */
size_t rawtext_strip(char *buf, size_t len);

#endif
