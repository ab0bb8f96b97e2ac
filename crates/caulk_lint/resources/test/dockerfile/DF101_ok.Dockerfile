# The build stage may use anything; only shipped stages count.
FROM ubuntu:18.04 AS build
RUN echo build > /out

FROM ubuntu:24.04
COPY --from=build /out /out
