module gopeers

go 1.19
