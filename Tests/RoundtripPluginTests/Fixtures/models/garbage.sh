#!/bin/sh
# A model program that answers its first request with a line that is not a reply.
read -r request
echo "loading weights... done"
sleep 30
