# One image for every BackCare process (Rasa server, action server, web page);
# docker-compose.yml picks the command.
FROM python:3.10-slim

WORKDIR /app
ENV PYTHONUNBUFFERED=1 TF_CPP_MIN_LOG_LEVEL=2

COPY requirements/ requirements/
RUN pip install --no-cache-dir pip==24.0 \
 && pip install --no-cache-dir -r requirements/lock.txt \
 && pip install --no-cache-dir --no-deps --require-hashes -r requirements/spacy-model.txt

COPY . .
RUN pip install --no-cache-dir --no-deps --no-build-isolation -e . \
 && backcare train

EXPOSE 5005 5055 8080
CMD ["backcare", "serve", "--host", "0.0.0.0"]
