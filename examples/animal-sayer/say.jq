# The speech bubble and the animal: `jq -r --arg animal A --arg text T -f say.jq animals.json`.
# The text is wrapped at 30 characters (a longer word keeps its own line), then framed.

# The words of the input in lines of at most $width characters.
def wrap($width):
  reduce (split(" ")[] | select(. != "")) as $word ([];
    if length > 0 and (.[-1] | length) + 1 + ($word | length) <= $width
    then .[-1] += " " + $word
    else . + [$word]
    end);

# The input padded with spaces to $width characters.
def pad($width): . + ([range(length; $width) | " "] | join(""));

# $n copies of the input string (none for 0).
def times($n): . as $s | [range(0; $n) | $s] | join("");

(.[$animal] // error("no animal called \($animal): call it as \(keys | map(. + "say") | join(" or "))")) as $art
| ($text | gsub("\\s+"; " ") | wrap(30) | if length == 0 then [""] else . end) as $lines
| ($lines | map(length) | max) as $width
| ($lines | length) as $count
| " " + ("_" | times($width + 2)),
  ($lines | to_entries[]
    | (if $count == 1 then ["<", ">"]
       elif .key == 0 then ["/", "\\"]
       elif .key == $count - 1 then ["\\", "/"]
       else ["|", "|"] end) as [$left, $right]
    | "\($left) \(.value | pad($width)) \($right)"),
  " " + ("-" | times($width + 2)),
  $art[]
