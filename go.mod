module cloudward

go 1.26
