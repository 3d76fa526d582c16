#!/bin/sh
# make-class.sh DEST N: a class of N generated submissions in DEST (which must not exist), for
# timing class grading (make bench-class). Student k takes each exercise from the reference or
# from one of the broken submissions of that exercise, in turn: about half of the exercises are
# the reference's, and every broken folder is graded once in each 2n+1 students (n: its exercise's).
set -e
dest=$1; n=$2
test -n "$dest" -a -n "$n" || { echo "usage: make-class.sh DEST N" >&2; exit 2; }
test ! -e "$dest" || { echo "make-class.sh: $dest already exists" >&2; exit 2; }
here=$(cd "$(dirname "$0")" && pwd)
mkdir -p "$dest"
k=0
while [ $k -lt "$n" ]; do
  student=$(printf "student-%03d" $k)
  mkdir -p "$dest/$student"
  e=0
  for exercise in $(ls "$here/reference"); do
    broken=$(cd "$here" && ls -d */"$exercise" 2>/dev/null | cut -d/ -f1 | grep -v '^reference$' | sort)
    count=$(echo "$broken" | wc -w)
    pick=$(( (k + 2 * e) % (2 * count + 1) ))
    from=reference
    if [ $pick -lt "$count" ]; then from=$(echo "$broken" | sed -n "$((pick + 1))p"); fi
    cp -R "$here/$from/$exercise" "$dest/$student/$exercise"
    e=$((e + 1))
  done
  k=$((k + 1))
done
echo "wrote $n submissions to $dest"
