// A driver that branches on a target's name: target_names_check.py must report line 3.
int blocks(const std::string &target) {
  if (target == "maia") // the mistake
    return 64;
  return 1; // "maia" in a comment is prose, not a mistake
}
