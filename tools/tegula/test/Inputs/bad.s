  li x1, 5
  addd x2, x1, x1
