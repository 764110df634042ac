// the compile driver's API
